#!/usr/bin/env bash
# Build the web map's vendor folder from npm: Leaflet, Leaflet.markercluster, topojson-client, Swagger UI and the
# Natural Earth country outlines (world-atlas, public domain data) are copied into
# src/frontline/api/web/vendor/, so the page loads nothing from a CDN at run time and works offline.
# Idempotent: `npm ci` when the lock file is there (exact versions), and the copies are overwritten.
set -euo pipefail
cd "$(dirname "$0")/.."
web=web
out=src/frontline/api/web/vendor

if ! command -v npm >/dev/null; then
  echo "build-web: npm is needed to fetch the map library (apt-get install npm)" >&2
  exit 1
fi
# Skip the registry when node_modules already matches the lock file (npm writes this marker file).
if [ -f "$web/package-lock.json" ]; then
  if [ ! -f "$web/node_modules/.package-lock.json" ] || \
     [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
    npm ci --prefix "$web" --no-audit --no-fund --loglevel=error
  fi
else
  npm install --prefix "$web" --no-audit --no-fund --loglevel=error
fi

nm=$web/node_modules
mkdir -p "$out/images"
cp "$nm/leaflet/dist/leaflet.js" "$nm/leaflet/dist/leaflet.css" "$out/"
cp "$nm/leaflet/dist/images/"*.png "$out/images/"
cp "$nm/leaflet.markercluster/dist/leaflet.markercluster.js" \
   "$nm/leaflet.markercluster/dist/MarkerCluster.css" \
   "$nm/leaflet.markercluster/dist/MarkerCluster.Default.css" "$out/"
cp "$nm/topojson-client/dist/topojson-client.min.js" "$out/"
# Swagger UI for /docs, so the API's documentation page works offline as well.
cp "$nm/swagger-ui-dist/swagger-ui-bundle.js" "$nm/swagger-ui-dist/swagger-ui.css" "$out/"
# 1:50m outlines: detailed enough at the zoom a front line is read at, small enough (~750 kB) to serve.
cp "$nm/world-atlas/countries-50m.json" "$out/countries-50m.json"
# Licences travel with the files they cover.
for pkg in leaflet leaflet.markercluster topojson-client world-atlas swagger-ui-dist; do
  # Each package names its licence file its own way (LICENSE, LICENSE.md, MIT-LICENCE.txt).
  lic=$(find "$nm/$pkg" -maxdepth 1 -iname '*licen[cs]e*' | head -n 1)
  if [ -n "$lic" ]; then cp "$lic" "$out/LICENSE.$pkg"; fi
done
echo "build-web: vendor files in $out"
