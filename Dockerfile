# PeerLearn production image: builds the Reflex frontend, migrates, then serves on one port.
FROM python:3.11-slim

RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm curl unzip \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV PEERLEARN_ENV=production \
    PEERLEARN_DATA_DIR=/data \
    PORT=3000 \
    REFLEX_USE_SYSTEM_BUN=1 \
    PATH=/app/.tools/node_modules/.bin:$PATH

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt \
    && npm install --silent --no-audit --no-fund --prefix /app/.tools bun@1.4.5

COPY . .
# Compile the frontend at build time so start-up only migrates and serves. The bundle connects its websocket to
# PUBLIC_BASE_URL, so give the public URL as a build argument when serving with PEERLEARN_PREBUILT_FRONTEND=1.
ARG PUBLIC_BASE_URL=http://localhost:3000
RUN SECRET_KEY=build-only-not-used-at-runtime PEERLEARN_ENV=development PUBLIC_BASE_URL=$PUBLIC_BASE_URL \
    python -m reflex export --frontend-only --no-zip

VOLUME ["/data"]
EXPOSE 3000
CMD ["sh", "-c", "python -m peerlearn.cli prepare && python -m peerlearn.cli serve"]
