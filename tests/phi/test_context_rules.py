"""Names, places and ages that rules find from grammar and context in mixed-case prose."""

import pytest


@pytest.mark.parametrize("text, value, kind", [
    ("Hello, I am Anna K. and I had an echo last week.", "Anna K.", "NAME"),
    ("Spoke with Rose T. about the discharge plan.", "Rose T.", "NAME"),
    ("Mrs. Rose was transferred overnight.", "Rose", "NAME"),
    ("Follow up with Dr. Brown in two weeks.", "Brown", "NAME"),
    ("Yours sincerely,\n\nDr. Helen\nCarver, MRCGP\n", "Helen\nCarver", "NAME"),
    ("Discharged from Riverside Medical Center yesterday.", "Riverside Medical Center", "ADDRESS"),
    ("Echo done at Lakeview Clinic this morning.", "Lakeview Clinic", "ADDRESS"),
    ("Referred to Northgate Family Practice for follow-up.", "Northgate Family Practice", "ADDRESS"),
    ("She was treated at University of Maryland Medical Center.", "University of Maryland Medical Center",
     "ADDRESS"),
    ("Seen at St. Jude Hospice on Monday.", "St. Jude Hospice", "ADDRESS"),
    ("Mrs. Rose was transferred to BMC overnight.", "BMC", "ADDRESS"),
    ("He was admitted to UCLH with sepsis.", "UCLH", "ADDRESS"),
    ("Disposition to Ward 4B after review.", "Ward 4B", "ADDRESS"),
    ("Moved to 5 West for telemetry.", "5 West", "ADDRESS"),
    ("Plan: transfer to Ellison 11 when a bed is free.", "Ellison 11", "ADDRESS"),
    ("RETURNED FROM DODSON WARD AT 1400", "DODSON WARD", "ADDRESS"),
    ("HIS WIFE LIVED IN ERICAVILLE UNTIL MAY", "ERICAVILLE", "ADDRESS"),
    ("FAMILY MEETING WITH NIEVAS AND MARIA TODAY", "NIEVAS", "NAME"),
    ("FAMILY MEETING WITH NIEVAS AND MARIA TODAY", "MARIA", "NAME"),
    ("Discussed with Umbach, who agrees.", "Umbach", "NAME"),
    ("CALLED MOSEBY AT HOME.", "MOSEBY", "NAME"),
    ("Old records faxed from Allisonmouth today", "Allisonmouth", "ADDRESS"),
    ("Brother called from Ochoa Unit.", "Ochoa Unit", "ADDRESS"),
    ("FROM BONDSVILLE REGIONAL MEDICAL CENTER VIA AMBULANCE", "BONDSVILLE REGIONAL MEDICAL CENTER", "ADDRESS"),
    ("Seen at Lakeside Pediatrics last week.", "Lakeside Pediatrics", "ADDRESS"),
    ("Registered with Elmwood Surgery since 2010.", "Elmwood Surgery", "ADDRESS"),
    ("Full name:\tRajesh Kumar Iyer\nGender: Male", "Rajesh Kumar Iyer", "NAME"),
    ("Next of kin: Lakshmi Iyer (wife)", "Lakshmi Iyer", "NAME"),
    ("Witness: Anita Desai, Staff Nurse", "Anita Desai", "NAME"),
    ("Kessler-Adventist Hosp sent the records.", "Kessler-Adventist Hosp", "ADDRESS"),
    ("Kind regards,\n\nTom Ellis\n", "Tom Ellis", "NAME"),
    ("Thanks so much,\nMaria", "Maria", "NAME"),
    ("hey its mike again, the forms are done", "mike", "NAME"),
    ("Hi, my name is bill and I have a question", "bill", "NAME"),
    ("I'm Tom Ellis, the patient's son.", "Tom Ellis", "NAME"),
    ("my mate Dave from Glasgow might call", "Glasgow", "ADDRESS"),
    ("no thats all, thanks Priya!", "Priya", "NAME"),
    ("Pinecrest Orthopaedic Associates sent the report.", "Pinecrest Orthopaedic Associates", "ADDRESS"),
    ("Dad (Walter, 92) fell at home.", "92", "AGE"),
    ("My father is 93 and lives alone.", "93", "AGE"),
    ("my grandmother in Dager Nursing Home is 91. She lives alone.", "91", "AGE"),
    ("writing for my grandmother, who is 91.", "91", "AGE"),
    ("Age 93. Lives alone.", "93", "AGE"),
    ("She was aged 96.", "96", "AGE"),
])
def test_found_from_context(finds, text, value, kind):
    assert finds(text, value, kind)


@pytest.mark.parametrize("text", [
    # eponyms, scores and signs
    "Positive Murphy sign; Glasgow Coma Scale 15; Apgar 9; Wells score 1; Homans sign negative.",
    "Duke criteria not met; Babinski reflex downgoing; Cushing triad absent.",
    "Bruce protocol stopped at stage 3; Ottawa rules applied; Seldinger technique; Neer and Hawkins tests positive.",
    "Thanks Doctor! Thank you Nurse, thanks Team.",
    "Ewing sarcoma; Barrett esophagus; Meckel diverticulum; Dieulafoy ulcer; Arnold-Chiari malformation.",
    # drug names, doses and clinical abbreviations
    "Started apixaban 5 mg BID, bisoprolol 2.5 mg, Lasix 40 mg IV; K 4.4, Na 140, Hb 132 g/L.",
    "CXR clear. ECG: AF at 112 bpm. LVEF 55%. TSH normal. INR 2.3.",
    # vitals and times
    "BP 150/90, HR 88, RR 18, SpO2 97% on RA, T 37.1. Meds given at 08:15 and 22:00.",
    # section headers and transfers within the hospital
    "ASSESSMENT AND PLAN\nHistory of Present Illness\nTransferred to ICU overnight; sent to CT; seen by PT and OT.",
    "Admitted to the General Hospital service; the Medical Center policy applies.",
    # a patient who is 93% saturated is not 93 years old
    "She is 93% on room air and he was 96 bpm. The patient's heart rate is 96.",
    # a speaker introducing something that is not a name
    "I am fine. This is mark of the beast. I'm sure; this is will power; its important.",
    "Glasgow Coma Scale 15 on arrival from the ED.",
    # departments are not facilities; a closing without a name
    "Referred to Internal Medicine and General Surgery for review.",
    "Seen by Cardiothoracic Surgery, Vascular Surgery and Colorectal Surgery today.",
    "Visit the Heart Failure Clinic or the Wellness Center on the 2nd floor after the 3rd dose.",
    "Moved to the Telemetry Unit, then the Step Down Unit; 5 UNITS INSULIN; TELEMETRY UNIT; THE GENERAL HOSPITAL.",
    "BLOWING INTO INTSTEAD OF SIPPING; IN HEMATOMA; FROM Baseline; in Skeleton survey",
    "SPOKE WITH MD'S. CALLED PT'S HUSBAND. SPOKE WTIH PT. Left with pacer set at 50. Discussed with Cardiology.",
    "Thanks,\nThe Team",
    # first names in ordinary words or at the start of a list item
    "Vitamin K. given. Will C. diff be sent? Grade A. Hepatitis B. vaccine due.",
])
def test_clinical_text_stays(masked, text):
    assert masked(text) == set()


def test_a_name_found_from_context_is_masked_where_it_recurs(engine):
    text = "Spoke with Mrs. Rose Delgado today. Her son says Rose agreed; rose-coloured urine. Rose hips in diet."
    names = [(e["BeginOffset"], e["Text"]) for e in engine.detect(text) if e["Score"] >= 0.5 and e["Type"] == "NAME"]
    # The second Rose, capitalised mid-sentence; not the ordinary word in lower case or opening a sentence.
    assert names == [(text.index("Rose Delgado"), "Rose Delgado"), (text.index("Rose agreed"), "Rose")]
