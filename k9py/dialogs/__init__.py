"""Modal dialogs: each validates its input, runs its action off the UI thread and
shows the result (or the API's error, keeping what was typed)."""
