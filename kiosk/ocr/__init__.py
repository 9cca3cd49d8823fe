"""Reading uploaded photos of receipts and ID cards: checks and preparation for OCR."""
