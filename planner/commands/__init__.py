"""Sub-commands of `planner`; each module registers its own arguments."""
