"""The tables layer: cells under a header that names a kind of PHI."""

TABLE = """VISITS
| DATE | CLINICIAN | LOCATION | REASON |
| 2006-05-23 | COURTNEY M. | POCOLA | AEM REVIEW |
| DEC 10 | KENDALL BALLARD | SMARR BUILDING | MAE REVIEW |

Date\tClinician\tLocation\tNotes
27-Aug-2006\tYi L. Marquard\tMedininagar\tSjogren syndrome
10/31/2023   DR. IOLI   NORTH JENNIFERHAVEN   VALSALVA MANEUVER
"""


def test_cells_under_name_place_and_date_headers(finds):
    for value, kind in [("COURTNEY M.", "NAME"), ("POCOLA", "ADDRESS"), ("KENDALL BALLARD", "NAME"),
                        ("SMARR BUILDING", "ADDRESS"), ("DEC 10", "DATE"), ("Yi L. Marquard", "NAME"),
                        ("Medininagar", "ADDRESS"), ("IOLI", "NAME"), ("NORTH JENNIFERHAVEN", "ADDRESS")]:
        assert finds(TABLE, value, kind), value


def test_other_columns_and_tables_stay(masked):
    kept = masked(TABLE)
    assert not kept & {"AEM REVIEW", "MAE REVIEW", "Sjogren syndrome", "VALSALVA MANEUVER", "REASON", "Notes"}
    # a site in a clinical table is a body site, not a place
    labs = "| Test | Result | Units | Site |\n| Na | 140 | mmol/L | venous |\n| K | 4.1 | mmol/L | arterial |\n"
    assert masked(labs) == set()


def test_a_blank_line_ends_the_table(masked):
    text = "| Name | Role |\n| Ana Ruiz | nurse |\n\nNext steps   review   plan\n"
    assert masked(text) == {"Ana Ruiz"}
