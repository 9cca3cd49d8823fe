"""python -m kiosk.ocr.samples DIR: write invented document photos and their truth."""

from . import main

main()
