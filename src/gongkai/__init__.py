"""gongkai (公开): a knowledge graph over government information-disclosure lists."""

__version__ = "0.1.0"
