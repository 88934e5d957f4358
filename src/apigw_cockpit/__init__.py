"""apigw-cockpit: a terminal incident cockpit for Amazon API Gateway 502s."""

__version__ = "0.1.0"
