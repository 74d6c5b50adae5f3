"""Helpers the tests share: sample exports and trees, a local Watson Assistant server, the
CLI in-process and as a process, git repositories. Not part of the installed package."""
