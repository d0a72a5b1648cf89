"""Document styles, one a module, each a `write(rng, surrogates) -> Writer` function.

One style a module so that a model can be trained without one style and tested on it.
"""

from training.styles import discharge, form, message, nursing, ocr, question, radiology, referral, table

STYLES = {module.__name__.rsplit(".", 1)[1]: module.write
          for module in (nursing, discharge, radiology, question, referral, form, table, ocr, message)}
