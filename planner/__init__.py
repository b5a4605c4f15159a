"""Change Readiness Planner: plan technology initiatives around the five classic failure causes."""

__version__ = "0.1.0"
APP_NAME = "Change Readiness Planner"
APP_ID = "change-readiness-planner"
# The desktop entry's, the icon's and the AppStream component's name (packaging/).
DESKTOP_ID = "org.changereadiness.Planner"
