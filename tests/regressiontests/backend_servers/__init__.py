"""Backend tests that hold on every vendor: raw SQL built from the backend API."""
