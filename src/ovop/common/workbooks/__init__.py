"""The one workbook framework: cells (``cells``), the reader (``reader``), the all-or-nothing
import driver (``importing``), the upload form (``forms``) and the result template
(``common/workbooks/_result.html``). Writing cells stays in ``ovop.common.exports``.
"""
