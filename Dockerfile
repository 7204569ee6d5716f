# syntax=docker/dockerfile:1
#
# One Dockerfile for the five services; choose the image with --target (from the repository root):
#
#   docker build --target command-api -t drive-deposits/command-api .
#   docker build --target query-api   -t drive-deposits/query-api   .
#   docker build --target calculator  -t drive-deposits/calculator  .
#   docker build --target projector   -t drive-deposits/projector   .
#   docker build --target dashboard   -t drive-deposits/dashboard   .
#
# Every stage before the five targets is the same for all of them, so building the five images
# installs and compiles the workspace once, and the images share every layer except the last
# (the service's own dist/). Node's base image is a build argument so CI can pin it by digest:
#   --build-arg NODE_IMAGE=node:24-bookworm-slim@sha256:…

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- manifests: the package.json files alone, so `npm ci` stays cached until dependencies change
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && cp package.json package-lock.json /manifests/ \
 && find packages services -mindepth 2 -maxdepth 2 -name package.json -exec cp --parents {} /manifests/ \;

# ---- build: the whole workspace (tsc -b, then the dashboard's page into services/dashboard/dist/public),
# then production dependencies only, staged in /out
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY --from=manifests /manifests/ ./
# --ignore-scripts: no runtime dependency needs an install script today (protobufjs' postinstall
# only prints a version hint; the native ones, cpu-features/ssh2, are test-only). A future
# dependency that must compile something needs this flag revisited (and a build toolchain).
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && missing="" \
 && for service in services/*; do \
      [ -f "$service/dist/main.js" ] || missing="$missing $service/dist/main.js"; \
    done \
 && if [ -n "$missing" ]; then \
      echo "not built:$missing (is the service listed in the root tsconfig.json references?)" >&2; \
      exit 1; \
    fi \
 && mkdir -p /out/common \
 && cp -a package.json node_modules schemas /out/common/ \
 && for dir in packages/* services/*; do \
      case $dir in packages/*) target=/out/common/$dir ;; *) target=/out/$dir ;; esac; \
      mkdir -p "$target" && cp -a "$dir/package.json" "$target/"; \
      for sub in dist node_modules; do \
        if [ -d "$dir/$sub" ]; then cp -a "$dir/$sub" "$target/"; fi; \
      done; \
    done \
 && find /out -path '*/dist/*' -name '*tsbuildinfo' -delete

# ---- runtime: what every service image shares
FROM ${NODE_IMAGE} AS runtime
# npm, npx, corepack and yarn are not used at run time; dropping them keeps their dependencies out
# of the image's vulnerability reports.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /opt/yarn-* \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and read-only to the service user: the code cannot be modified at run time.
COPY --from=build /out/common/ ./
# Numeric uid/gid (the image's `node` user) so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
# Liveness of the process (not of Kafka/MongoDB: that is /readyz). No curl in the slim image, so
# node itself asks; PORT is set per service below and may be overridden at run time.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "require('node:http').get({host:'127.0.0.1',port:process.env.PORT,path:'/healthz',timeout:4000},(r)=>process.exit(r.statusCode===200?0:1)).on('timeout',function(){this.destroy()}).on('error',()=>process.exit(1))"]

# ---- the five service images
FROM runtime AS command-api
ENV PORT=3000
EXPOSE 3000
COPY --from=build /out/services/command-api/ services/command-api/
CMD ["node", "services/command-api/dist/main.js"]

FROM runtime AS query-api
ENV PORT=3001
EXPOSE 3001
COPY --from=build /out/services/query-api/ services/query-api/
CMD ["node", "services/query-api/dist/main.js"]

FROM runtime AS calculator
ENV PORT=3002
EXPOSE 3002
COPY --from=build /out/services/calculator/ services/calculator/
CMD ["node", "services/calculator/dist/main.js"]

FROM runtime AS projector
ENV PORT=3003
EXPOSE 3003
COPY --from=build /out/services/projector/ services/projector/
CMD ["node", "services/projector/dist/main.js"]

# The page is in dist/public (bundled at build time: nothing is fetched at run time).
FROM runtime AS dashboard
ENV PORT=3004
EXPOSE 3004
COPY --from=build /out/services/dashboard/ services/dashboard/
CMD ["node", "services/dashboard/dist/main.js"]

# ---- a build without --target ends here, with a message instead of an arbitrary service image
FROM runtime AS choose-a-target
RUN echo "choose an image: docker build --target <command-api|query-api|calculator|projector|dashboard> ." >&2 \
 && exit 1
