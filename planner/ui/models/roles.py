"""Qt's item data roles as plain ints (data() is asked for every role of every cell at
each repaint, and comparing ints is far cheaper than comparing enum members), and the
program's own roles, each with its own number, all in one place."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

DISPLAY = int(Qt.ItemDataRole.DisplayRole)
EDIT = int(Qt.ItemDataRole.EditRole)
ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
FONT = int(Qt.ItemDataRole.FontRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)

# The program's own roles: what a model hands its views beside the text shown.
EDIT_VALUE_ROLE = Qt.ItemDataRole.UserRole + 1
CHOICES_ROLE = Qt.ItemDataRole.UserRole + 2  # list of (value, label)
BAND_ROLE = Qt.ItemDataRole.UserRole + 3
FOOT_ROLE = Qt.ItemDataRole.UserRole + 4
BAND_SHORT_ROLE = Qt.ItemDataRole.UserRole + 5  # the band's text when the full one won't fit
THEME_ID_ROLE = Qt.ItemDataRole.UserRole + 6
RAG_COUNTS_ROLE = Qt.ItemDataRole.UserRole + 7  # list of (code, count, colour)
ACTION_COUNT_ROLE = Qt.ItemDataRole.UserRole + 8
PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 9
JOB_TITLE_ROLE = Qt.ItemDataRole.UserRole + 10  # shown muted after the name
COUNT_ROLE = Qt.ItemDataRole.UserRole + 11  # the number in a count cell (0 when blank)
OVER_LIMIT_ROLE = Qt.ItemDataRole.UserRole + 12  # True: over its limit (bold and framed)
RACI_ROLE = Qt.ItemDataRole.UserRole + 13  # a RACI column's RaciRole value
QUARTER_ROLE = Qt.ItemDataRole.UserRole + 14  # a quarter column's Band
ID_ROLE = Qt.ItemDataRole.UserRole + 15
SORT_ROLE = Qt.ItemDataRole.UserRole + 16
ACTION_ID_ROLE = Qt.ItemDataRole.UserRole + 17
PARTNER_ID_ROLE = Qt.ItemDataRole.UserRole + 18
ROLE_VALUE_ROLE = Qt.ItemDataRole.UserRole + 19  # the PartnerRole value in a cell

Index = QModelIndex | QPersistentModelIndex  # what Qt hands a model's methods
