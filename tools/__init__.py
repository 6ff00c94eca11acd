"""The authors' tools. Run each from the repository's root as ``python -m tools.<name>``;
``tools/course.py`` lists what the course contains, and CONTRIBUTING.md describes every tool."""
