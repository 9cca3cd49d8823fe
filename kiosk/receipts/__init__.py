"""The printed receipt: its QR code, its codes, its two paper layouts, the thermal printer."""
