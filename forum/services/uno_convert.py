"""Fill a DOCX's contents page and store it as tagged PDF, through a LibreOffice that listens.

Runs under Debian's own /usr/bin/python3 (package python3-uno), not the app's virtual
environment, whose interpreter cannot import `uno`; so it uses only the standard library and
uno. forum/services/pdf_export.py starts LibreOffice and then this script:

    /usr/bin/python3 uno_convert.py PORT SOURCE.docx TARGET.pdf

Exit status 0 when TARGET was written; otherwise the reason goes to stderr.
"""

import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

CONNECT_SECONDS = 30


def prop(name, value):
    """A UNO PropertyValue."""
    result = PropertyValue()
    result.Name, result.Value = name, value
    return result


def connect(port):
    """The component context of the LibreOffice on this port, waiting until it answers."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return resolver.resolve(url)
        except NoConnectException:
            # soffice takes a few seconds to create its fresh profile before it listens.
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def update_indexes(document):
    """Fill every index, twice: the second pass sees the pages the filled contents page took."""
    for _ in range(2):
        indexes = document.getDocumentIndexes()
        for number in range(indexes.getCount()):
            indexes.getByIndex(number).update()
        document.refresh()


def store_pdf(document, target):
    """Store the document as tagged PDF (PDF/UA)."""
    # FilterData must reach the filter as a sequence of PropertyValue, not of any: hence uno.Any.
    settings = (prop("UseTaggedPDF", True), prop("PDFUACompliance", True))
    filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", settings)
    arguments = (prop("FilterName", "writer_pdf_Export"), prop("FilterData", filter_data))
    uno.invoke(document, "storeToURL", (uno.systemPathToFileUrl(target), arguments))


def convert(port, source, target):
    """Load SOURCE hidden, fill its indexes, store TARGET as PDF and close the document."""
    context = connect(port)
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context
    )
    arguments = (prop("Hidden", True),)
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, arguments)
    if document is None:
        raise RuntimeError(f"LibreOffice could not open {source}")
    try:
        update_indexes(document)
        store_pdf(document, target)
    finally:
        document.close(True)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    convert(int(sys.argv[1]), sys.argv[2], sys.argv[3])
