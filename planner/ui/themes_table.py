"""The list of themes down the left of the main window: each its title over its chips."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from planner.ui.chips import ThemeItemDelegate
from planner.ui.models.themes import ThemesModel
from planner.ui.style import style_table


def themes_table(parent: QWidget, model: ThemesModel) -> QTableView:
    view = QTableView(parent)
    style_table(view)
    view.setObjectName("themesView")
    view.setAccessibleName("Themes")
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.setShowGrid(False)
    view.setWordWrap(True)
    view.setMinimumWidth(220)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setItemDelegate(ThemeItemDelegate(view))
    view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view
