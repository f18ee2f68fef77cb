"""What the report's PDF says about itself, as a PDF reader's Document Properties and a
records system show it: title, author (the officer who wrote it), subject (a board
report, its position date and slice), keywords (the protective marking first), and the
bookmarks (outline) with one entry per section.

Qt writes the title, author and creator into the document information and an XMP packet
(given here, so it carries the subject and keywords too); the subject, keywords and
bookmarks Qt has no way to write are added afterwards by appending an incremental update
to the finished file with pypdf, which leaves every byte Qt wrote in place."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from pypdf import PdfWriter

from planner import APP_NAME
from planner.domain.dates import format_uk
from planner.io.report.content import ReportContent

REPORT_NAME = "Board report"


@dataclass(frozen=True)
class DocumentInfo:
    title: str
    author: str
    subject: str
    keywords: str
    creator: str = APP_NAME


def document_info(content: ReportContent) -> DocumentInfo:
    """The report's title, author, subject and keywords."""
    marking = content.marking.strip().upper()
    subject = f"{REPORT_NAME}, position at {format_uk(content.header.status_date)}"
    if content.slice_label:
        subject += f" ({content.slice_label})"
    if marking:
        subject += f". Protective marking: {marking}"
    keywords = [marking, REPORT_NAME, content.header.organisation, content.slice_label]
    return DocumentInfo(
        title=content.header.title,
        author=content.author,
        subject=subject,
        keywords="; ".join(word for word in keywords if word),
    )


def xmp_packet(info: DocumentInfo, when: datetime | None = None) -> bytes:
    """An XMP metadata packet saying what the document information says."""
    stamp = (when or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")

    def text(value: str) -> str:
        return escape(value, {'"': "&quot;"})

    return f"""<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt>
    <rdf:li xml:lang="x-default">{text(info.title)}</rdf:li>
   </rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{text(info.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt>
    <rdf:li xml:lang="x-default">{text(info.subject)}</rdf:li>
   </rdf:Alt></dc:description>
   <pdf:Keywords>{text(info.keywords)}</pdf:Keywords>
   <xmp:CreatorTool>{text(info.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{stamp}</xmp:CreateDate>
   <xmp:ModifyDate>{stamp}</xmp:ModifyDate>
   <xmp:MetadataDate>{stamp}</xmp:MetadataDate>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end='w'?>""".encode()


def add_subject_and_bookmarks(
    path: Path, info: DocumentInfo, sections: list[tuple[str, int]]
) -> None:
    """Append to the PDF at `path` its subject and keywords, and one bookmark for each
    (section title, first page number from 1), shown when the file opens."""
    original = io.BytesIO(path.read_bytes())
    writer = PdfWriter(original, incremental=True)
    writer.add_metadata({"/Subject": info.subject, "/Keywords": info.keywords})
    for title, page in sections:
        writer.add_outline_item(title=title, page_number=page - 1)
    writer.page_mode = "/UseOutlines"
    with path.open("wb") as out:
        writer.write(out)
