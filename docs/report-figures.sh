#!/bin/sh
# Makes the quick start's report figures of docs/report.md and docs/experiments.md: runs the
# quick start into a scratch folder, copies some of its charts (SVG, rendered without a browser)
# and takes screenshots of its report.html in headless Chromium. Run from the repository root
# after `npm run build`: sh docs/report-figures.sh
set -eu
out=$(mktemp -d)
node dist/src/cli/main.js run scenarios/quickstart.yaml --out "$out" >/dev/null
for chart in timeline active-hosts backbone failures snapshots-restores lost-work; do
  cp "$out/charts/$chart.svg" "docs/figures/quickstart-$chart.svg"
done
chromium=$(command -v chromium || command -v chromium-browser)
shot() {
  "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=20000 \
    --window-size="$2" --screenshot="docs/figures/$1" "file://$out/charts/report.html" 2>/dev/null
}
shot quickstart-report.png 1000,1900
rm -rf "$out"
