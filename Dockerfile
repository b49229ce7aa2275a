# syntax=docker/dockerfile:1
# One image for both process roles: ROLE=api (HTTP) and ROLE=worker (queues); ROLE=all runs both.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# the dashboard's pages and modules, served as they are at /dashboard
COPY --chown=node:node dashboard ./dashboard
# the workbench (the desks of the centre, departments and enterprises), served as they are at /workbench
COPY --chown=node:node workbench ./workbench
# the modules both pages share (the API client, the element builder), served under each as common/
COPY --chown=node:node web-common ./web-common
USER node
EXPOSE 3000
# migrations run at boot under a PostgreSQL advisory lock, so any number of replicas may start at once
CMD ["node", "dist/src/main.js"]
