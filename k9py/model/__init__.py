"""The data behind the views: keyed, incrementally sorted and filtered rows fed by watches."""
