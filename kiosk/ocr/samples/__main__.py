"""python -m kiosk.ocr.samples DIR: write invented document photos and their truth."""

from kiosk.ocr.samples import main

main()
