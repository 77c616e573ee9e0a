# The chat-widget server in a container: the widget's files, the operator inbox and both APIs.
# Multi-stage: build with the dev dependencies, run with the server's production dependencies only,
# as the unprivileged `node` user. Data: PGlite in /data (a volume), or PostgreSQL with DATABASE_URL.
# Not built on this project's machines (no image registry is reachable there): see README, "Deploying".

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY server/package.json server/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8787 DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
COPY server/package.json server/
RUN npm ci --omit=dev --workspace server --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist dist
COPY --from=build /app/server/build server/build
COPY --from=build /app/server/public server/public
COPY server/db/migrations server/db/migrations
COPY server/inbox/index.html server/inbox/index.html
COPY index.html ./
COPY demo demo
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8787
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8787)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM: streams are told to reconnect, requests in flight drain (SHUTDOWN_TIMEOUT_MS, default 10 s).
STOPSIGNAL SIGTERM
CMD ["node", "server/build/main.js"]
