"""Development tools, never loaded by a service or the gateway at run time: the local stack
(`stack`, `python -m govkit.dev.cli run`), test helpers (`testing`), the AsyncAPI builder that
imports every service's handlers (`asyncapi`) and the development CLI (`cli`: run, token).
`packages/govkit/tests/test_runtime_imports.py` checks that importing an app does not import this package."""
