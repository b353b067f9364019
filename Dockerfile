# syntax=docker/dockerfile:1
# Common Ground: one image for every node. Build: docker build -t common-ground .
# Run one node:  docker run -p 3000:3000 -v cg-data:/data common-ground
# Many nodes:    docker compose up --build   (docker-compose.yml, docs/scaling.md)

ARG NODE_IMAGE=node:20-bookworm-slim

# 1. Every dependency, to build the client.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# 2. Production dependencies only (tsx runs the server's TypeScript as it is).
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. The runtime: no build tools, no dev dependencies, not root.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json tsconfig.json ./
COPY --chown=node:node server ./server
COPY --chown=node:node shared ./shared
COPY --chown=node:node content ./content
COPY --from=build --chown=node:node /app/dist/client ./dist/client
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# The embedded store keeps its LevelDB folder here; with REDIS_URL set it stays empty.
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM reaches node directly (exec form): main.ts closes sockets and storage cleanly.
CMD ["node", "--import", "tsx", "server/main.ts"]
