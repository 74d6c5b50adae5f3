"""Talking to a live Watson Assistant / watsonx Assistant over its API (issue 6).

Imported only by the commands that need the network (pull/push --env, restore,
promote), so the SDK and requests never slow down the other commands.
"""
