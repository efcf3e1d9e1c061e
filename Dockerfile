# Kraftsamla in a container. Two stages: the first installs everything and builds once, the
# second holds the built bot (dist/), the program definitions (config/*.json) and the production
# dependencies only, and runs as the unprivileged `node` user. docs/DEPLOY.md, "Container".
#
#   docker build -t kraftsamla .
#   docker run --init -p 3978:3978 --env-file .env kraftsamla

FROM node:20-bookworm-slim AS build
WORKDIR /app
# .npmrc answers the prompt of botbuilder-dialogs' postinstall (`npx rimraf`).
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bot ./bot
COPY cards ./cards
COPY cli ./cli
COPY config ./config
COPY domain ./domain
COPY storage ./storage
COPY tab ./tab
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    LOG_FORMAT=json \
    PORT=3978 \
    DATA_DIR=/home/node/data
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# The app's files stay root's: the bot reads them and writes nothing beside them.
COPY --from=build /app/dist ./dist
COPY config/*.json ./config/
# The tab's script and stylesheet, served as they are.
COPY tab/public ./tab/public
USER node
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is the container's main process and gets SIGTERM itself (a shell or npm in
# between would not pass it on), so the bot drains and stops its storage cleanly.
CMD ["node", "dist/bot/index.js"]
