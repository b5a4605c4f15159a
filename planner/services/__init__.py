"""Use cases over the plan: editing with undo, the readiness check, Excel exchange. No Qt."""
