"""The program's dialogs, one to a module: import each from its own module (this package
imports nothing, so that starting the program loads only the dialogs it opens)."""
