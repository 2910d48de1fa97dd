#!/bin/sh
# Materialises SST's platform types (.sst/platform: the sst.aws.* components and the @pulumi/* typings) without
# Pulumi, AWS or bun, so `npm run typecheck:infra` can check sst.config.ts and infra/*.ts here.
#
# `sst install` copies the platform out of the CLI binary and installs its npm dependencies, but every sst command
# first ensures Pulumi and bun are present (GitHub downloads). SST_SKIP_DEPENDENCY_CHECK skips that check, a stub
# answering `pulumi version` with the version SST 4.17.1 expects stands in for Pulumi (install never runs it for
# anything else), and SST_NO_BUN makes it install with npm (the registry npm is configured for). Nothing is
# deployed; no AWS credentials are read.
set -eu
cd "$(dirname "$0")/.."
stub_dir=$(mktemp -d)
trap 'rm -rf "$stub_dir"' EXIT
printf '#!/bin/sh\necho v3.215.0\n' > "$stub_dir/pulumi"
chmod +x "$stub_dir/pulumi"
SST_PULUMI_PATH="$stub_dir/pulumi" SST_SKIP_DEPENDENCY_CHECK=1 SST_NO_BUN=1 SST_TELEMETRY_DISABLED=1 SST_STAGE="${SST_STAGE:-typecheck}" \
  ./node_modules/.bin/sst install
test -f .sst/platform/config.d.ts
echo "materialize-platform: .sst/platform is ready (npm run typecheck:infra)"
