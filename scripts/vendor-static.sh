#!/usr/bin/env bash
# Refresh the vendored NL Design System CSS and axe-core from the npm registry.
# Needs npm; the running site does not. Review the diff before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent \
  @utrecht/component-library-css@9.0.4 \
  @nl-design-system-unstable/voorbeeld-design-tokens@7.4.1 \
  axe-core@4.14.1 >/dev/null)
for f in "$work"/*.tgz; do mkdir -p "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
static=src/omzien/static/vendor
cp "$work"/utrecht-component-library-css-*/package/dist/index.css "$static/utrecht/component-library.css"
cp "$work"/utrecht-component-library-css-*/package/LICENSE.md "$static/utrecht/LICENSE.md"
cp "$work"/nl-design-system-unstable-voorbeeld-design-tokens-*/package/dist/theme.css \
  "$static/voorbeeld-design-tokens/theme.css"
cp "$work"/nl-design-system-unstable-voorbeeld-design-tokens-*/package/LICENSE.md \
  "$static/voorbeeld-design-tokens/LICENSE.md"
cp "$work"/axe-core-*/package/axe.min.js tests/browser/vendor/axe.min.js
cp "$work"/axe-core-*/package/LICENSE tests/browser/vendor/axe-core-LICENSE
echo "Vendored files refreshed."
