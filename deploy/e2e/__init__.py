"""`make test-deploy`: docker-compose.yml booted for real and checked from the outside.

    python -m deploy.e2e [--cache-dir DIR] [--articles N]

See deploy/e2e/__main__.py for the steps and README.md ("Running with docker compose") for the stack.
"""
