"""Recording scenarios: parser, conditions, actions, runner, asciicast, demos."""
