# One image for every service; docker-compose.yml picks the entry point per service.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
# Without development dependencies: the embedded PostgreSQL, the test and benchmark tools stay out of the image,
# Grafbase's CLI too (the benchmark's peer: optional only so that npm installs elsewhere than Linux x64).
RUN npm run build && npm prune --omit=dev && rm -rf node_modules/@grafbase

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
USER node
