#!/bin/sh
# A Linux tablet or mini-PC as a kiosk: Debian's chromium full screen, printing the receipt
# silently on the system's default printer (CUPS: the thermal printer, 80 mm roll), never
# showing an address bar, a translate offer or a "restore pages" bubble.
#   KIOSK_URL   the district's kiosk, e.g. https://kiosk.example.gov.cn/
# Started by the session's autostart (deploy/tablet/README.md). The first time, open
# $KIOSK_URL/enrol?code=... (scan the back office's QR code) to enrol the tablet.
set -eu
: "${KIOSK_URL:?set KIOSK_URL to the kiosk's address}"
PROFILE="${KIOSK_PROFILE:-$HOME/.config/kiosk-browser}"
exec chromium \
  --kiosk \
  --kiosk-printing \
  --user-data-dir="$PROFILE" \
  --no-first-run \
  --disable-translate \
  --disable-features=Translate,TranslateUI \
  --disable-session-crashed-bubble \
  --disable-infobars \
  --noerrdialogs \
  --overscroll-history-navigation=0 \
  --disable-pinch \
  --lang=zh-CN \
  "$KIOSK_URL"
