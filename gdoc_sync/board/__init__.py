"""The room board: the stakeholder group x policy question matrix, live on a local web page."""

from gdoc_sync.board.data import Board, Card, Column, build_board
from gdoc_sync.board.live import BoardLoop, board_snapshot, read_board, render_snapshot, run_board
from gdoc_sync.board.render import render_matrix, render_page
from gdoc_sync.board.server import BoardApp, BoardFeed, BoardServer

__all__ = [
    "Board",
    "BoardApp",
    "BoardFeed",
    "BoardLoop",
    "BoardServer",
    "Card",
    "Column",
    "board_snapshot",
    "build_board",
    "read_board",
    "render_matrix",
    "render_page",
    "render_snapshot",
    "run_board",
]
