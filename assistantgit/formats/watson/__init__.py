"""Watson Assistant / watsonx Assistant: dialog skills, actions skills, the published-version ZIP."""
