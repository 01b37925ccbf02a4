"""The answering service: guard → retrieve → compose → output rail → reply."""
