"""The build, one module per step: execute the notebooks, assemble the HTML, print the PDF, publish with a manifest.

    data/ --validate--> execute (build/<notebook parameters>/executed/) --assemble--> browser (PDF) --publish--> report/ or views/<name>/
"""


class BuildError(Exception):
    """A build problem the user can fix; its message is printed as it is, without a traceback."""
