"""The bounded load test: locust (headless) against gunicorn on 127.0.0.1 (see __main__)."""
