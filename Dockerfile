# syntax=docker/dockerfile:1
# scbot as a container: the built artifact (npm run build) on Node 24 LTS, production dependencies only, as uid 1000.
# Build: docker build -t scbot .   Run: docker run -p 3978:3978 --env-file .env scbot   (README "Deploying")
# No Docker engine runs in this project's CI: test/e2e/built-artifact.test.ts reads this file and carries out the
# runtime stage's steps (its COPYs, its RUN, ENV, USER, CMD and HEALTHCHECK) on a clean copy of the sources, then
# talks to the result in Azure mode against the local cloud. Keep those instructions in the forms it reads.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
RUN npm run build

FROM node:24-bookworm-slim AS runtime
WORKDIR /app
COPY package.json package-lock.json ./
# Without the stand-ins workspace (packages/, a development tool, not in this stage) npm installs exactly the
# production dependencies of the lock file; the npm cache stays in the build cache, out of the image.
RUN --mount=type=cache,target=/root/.npm npm pkg delete workspaces && npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist/bot ./dist/bot
COPY cards ./cards
ENV NODE_ENV=production
ENV PORT=3978
# The embedded store (one instance) needs a writable directory: mount a volume here. Several instances use the
# shared Azure Table store instead (SCBOT_STORAGE_ACCOUNT_URL), as infra/azure.bicep sets it.
ENV SCBOT_STATE_DIR=/home/node/state
USER node
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--max-old-space-size=1024", "dist/bot/main.js"]
