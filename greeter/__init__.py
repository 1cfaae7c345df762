"""greeter — personalised greeting mail-merge: every client greeted on their day, never pestered."""

__version__ = "0.1.0"
