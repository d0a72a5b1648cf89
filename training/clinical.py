"""PHI-free clinical language written for this project: the hard negatives placed around the surrogates.

Eponyms, drug names, abbreviations, lab values, section headers and capitalised common words
look like names or places to a model that only sees capitals; the corpus is full of them.
"""

import functools
import random
import re

from steps.phi.builtin import lexicon

EPONYMS = ("Foley catheter", "Babinski sign", "Parkinson's disease", "Alzheimer's dementia", "Glasgow Coma Scale 14",
           "Hodgkin lymphoma", "Cushing syndrome", "Apgar score 8", "Whipple procedure", "Swan-Ganz catheter",
           "Graves disease", "Crohn's disease", "Bell's palsy", "Wells score", "Homan's sign", "Murphy's sign",
           "Kussmaul respirations", "Cheyne-Stokes respirations", "Hickman line", "Doppler study", "Holter monitor",
           "Guillain-Barre syndrome", "Addison disease", "Barrett esophagus", "Raynaud phenomenon", "Tinel sign",
           "Romberg test", "Nissen fundoplication", "Roux-en-Y bypass", "Hartmann procedure", "Down syndrome",
           "Epley maneuver", "Valsalva maneuver", "Trendelenburg position", "Fowler position", "Gleason 7",
           "Bishop score", "Mallampati class II", "Child-Pugh class B", "Ranson criteria", "Duke criteria",
           "Kaposi sarcoma", "Ewing sarcoma", "Wilms tumor", "Pap smear", "Gram stain", "Coombs test", "Allen test",
           "Jackson-Pratt drain", "Penrose drain", "Ambu bag", "Venturi mask", "Miller blade", "Dobhoff tube",
           "Bair Hugger", "Austin Flint murmur", "Wolff-Parkinson-White", "Brugada pattern", "Lyme disease",
           "Chagas disease", "Meniere disease", "Hashimoto thyroiditis", "Sjogren syndrome", "Marfan syndrome")
DRUGS = ("Lasix", "Coumadin", "heparin", "Tylenol", "Zosyn", "vancomycin", "Lopressor", "metoprolol", "lisinopril",
         "Plavix", "Protonix", "Ativan", "Haldol", "morphine", "Dilaudid", "fentanyl", "propofol", "Levophed",
         "insulin", "Keppra", "Flagyl", "Cipro", "Bactrim", "Zofran", "Colace", "Senna", "Ambien", "Seroquel",
         "Xanax", "Norvasc", "Lipitor", "aspirin", "warfarin", "Eliquis", "Xarelto", "Lantus", "prednisone",
         "Solu-Medrol", "albuterol", "Atrovent", "Neurontin", "Synthroid", "digoxin", "amiodarone", "Cardizem",
         "Nexium", "Reglan", "Benadryl", "Motrin", "Toradol", "Percocet", "oxycodone", "Narcan", "Augmentin",
         "Keflex", "Levaquin", "ceftriaxone", "meropenem", "gentamicin", "Diflucan", "nystatin", "Precedex",
         "Versed", "Ancef", "Unasyn", "Tamiflu", "Lovenox", "Pepcid", "Dulcolax", "Ensure", "Nepro", "Jevity",
         "Zestril", "Zocor", "Viagra", "HCTZ", "Hydralazine", "Isordil", "Flovent", "Serevent", "Coreg", "Imdur",
         "Aldactone", "Spironolactone", "Furosemide", "Torsemide", "Bumex", "Atorvastatin", "Simvastatin",
         "Pravastatin", "Rosuvastatin", "Crestor", "Losartan", "Cozaar", "Valsartan", "Diovan", "Amlodipine",
         "Nifedipine", "Diltiazem", "Verapamil", "Carvedilol", "Atenolol", "Labetalol", "Clonidine", "Metformin",
         "Glipizide", "Glyburide", "Januvia", "Levothyroxine", "Omeprazole", "Pantoprazole", "Famotidine",
         "Ondansetron", "Sertraline", "Zoloft", "Citalopram", "Celexa", "Fluoxetine", "Prozac", "Trazodone",
         "Lorazepam", "Clonazepam", "Quetiapine", "Olanzapine", "Risperidone", "Gabapentin", "Pregabalin",
         "Lyrica", "Tramadol", "Hydrocodone", "Acetaminophen", "Ibuprofen", "Naproxen", "Allopurinol",
         "Colchicine", "Tamsulosin", "Flomax", "Finasteride", "Donepezil", "Aricept", "Memantine", "Namenda",
         "Clopidogrel", "Apixaban", "Rivaroxaban", "Enoxaparin", "Azithromycin", "Zithromax", "Doxycycline",
         "Cephalexin", "Ciprofloxacin", "Levofloxacin", "Metronidazole", "Nitrofurantoin", "Macrobid", "Fluconazole",
         "Acyclovir", "Valtrex", "Prednisolone", "Dexamethasone", "Decadron", "Methotrexate", "Humira", "Plaquenil",
         "Spiriva", "Advair", "Symbicort", "Singulair", "Montelukast", "Ventolin", "Potassium Chloride", "K-Dur",
         "Magnesium Oxide", "Ferrous Sulfate", "Folic Acid", "Thiamine", "Multivitamin", "Vitamin D", "Calcitriol")
DIAGNOSES = ("Rheumatoid Arthritis", "Coronary Artery Disease", "Type 2 Diabetes Mellitus", "Chronic Kidney Disease",
             "Atrial Fibrillation", "Congestive Heart Failure", "Hypertension", "Hyperlipidemia", "Osteoarthritis",
             "Seronegative Spondyloarthropathy", "Chronic Obstructive Pulmonary Disease", "Major Depressive Disorder",
             "Obstructive Sleep Apnea", "Peripheral Vascular Disease", "Benign Prostatic Hyperplasia", "Gout",
             "Hypothyroidism", "Iron Deficiency Anemia", "Migraine", "Asthma", "Osteoporosis", "Cirrhosis",
             "Deep Vein Thrombosis", "Pulmonary Embolism", "Transient Ischemic Attack", "Aortic Stenosis",
             "Mitral Regurgitation", "Sick Sinus Syndrome", "Diverticulitis", "Cholelithiasis", "Pancreatitis")
ECG_LEADS = ("II, III, aVF", "V1-V3", "I, aVL", "V4-V6", "leads II, III and AVF")
ABBREVIATIONS = ("CXR", "ABG", "NPO", "PRN", "BID", "TID", "HTN", "CABG", "MRSA", "COPD", "CHF", "DM2", "CAD",
                 "GERD", "UTI", "DVT", "SOB", "DOE", "NAD", "RRR", "CTAB", "HEENT", "PERRLA", "EOMI", "NKDA", "ICU",
                 "MICU", "CCU", "PACU", "ED", "IV", "PO", "NGT", "PEG", "PICC", "ETT", "CPAP", "BIPAP", "SBP", "MAP",
                 "CVP", "UO", "LS", "BS", "ABX", "PMH", "ROS", "A&O x3", "MAE", "DNR", "EKG", "TTE", "CT", "MRI",
                 "KUB", "LFTs", "BMP", "CBC", "INR", "PTT", "BNP", "TSH", "HbA1c", "AF", "RVR", "NSR", "SVT", "OOB",
                 "VSS", "WNL", "F/U", "D/C", "S/P", "R/O", "C/O", "HOB", "NC", "RA", "FS", "SQ", "GT", "TF")
LABS = ("Na 138", "K 4.1", "Cr 1.2", "BUN 24", "WBC 12.3", "Hct 31.2", "Hgb 9.8", "Plt 245", "INR 1.3",
        "glucose 142", "lactate 2.1", "trop <0.01", "BP 132/78", "HR 88", "RR 18", "SpO2 96% on 2L NC", "T 37.8",
        "Temp 99.1", "Mg 1.9", "Phos 3.2", "Ca 8.6", "Alb 2.9", "pH 7.38/42/88", "FiO2 40%", "PEEP 5", "TV 450",
        "CVP 12", "MAP 65", "UO 40cc/hr", "K 3.4 repleted", "BS 210 covered with SSI", "I/O +1.2L")
HEADERS = ("HISTORY OF PRESENT ILLNESS", "PAST MEDICAL HISTORY", "MEDICATIONS", "ALLERGIES", "PHYSICAL EXAMINATION",
           "ASSESSMENT AND PLAN", "HOSPITAL COURSE", "DISCHARGE DIAGNOSIS", "IMPRESSION", "FINDINGS", "TECHNIQUE",
           "COMPARISON", "CLINICAL INDICATION", "SOCIAL HISTORY", "FAMILY HISTORY", "REVIEW OF SYSTEMS",
           "LABORATORY DATA", "DISPOSITION", "CONDITION ON DISCHARGE", "FOLLOW UP", "CHIEF COMPLAINT", "PLAN")
SYSTEMS = ("Neuro", "CV", "Resp", "GI", "GU", "ID", "Skin", "Social", "Endo", "Heme", "Renal", "Pain", "Activity")
# Words that are also first names, used as words: the model must read context, not only the census list.
NAME_WORDS = ("will", "hope", "grace", "rose", "mark", "bill", "faith", "joy", "sue", "pat", "rich", "frank", "gene",
              "dawn", "april", "june", "may", "august", "summer", "sterling", "young", "king", "bishop", "page")

NURSING = (
    "pt resting comfortably in bed, no c/o pain", "{ABBR} stable overnight", "neuro: A&O x3, MAE, follows commands",
    "CV: {LAB}, {ABBR} on monitor, no ectopy", "resp: LS clear bilat, {LAB}", "GI: abd soft, +BS, tolerating {DRUG}",
    "GU: foley patent draining clear yellow urine", "skin intact, turned q2h", "given {DRUG} for pain with good effect",
    "{LAB}, {LAB}, will recheck in am", "plan: cont {DRUG}, {ABBR} in am, wean as tol", "family in to visit, updated",
    "dressing changed, site c/d/i", "{EPONYM} in place", "{ABBR} done, results pending", "OOB to chair with assist",
    "MD aware of {LAB}", "pt will need {ABBR} prior to {ABBR}", "heme: {LAB}, no s/s bleeding", "npo after midnight",
    "endo: {LAB}, covered per sliding scale", "ID: afebrile, on {DRUG} and {DRUG}", "social: full code",
    "{EPONYM} noted", "pt anxious overnight, {DRUG} given with effect", "pain 3/10, {DRUG} prn",
    "increased {DRUG} per team", "bowel regimen: {DRUG}", "remains on {LAB}", "hope to extubate tomorrow",
    "turned side to side", "to CT at 1400, back at 1530", "sats in high 90's", "confused at times",
    "clot to blood bank", "wants to go home", "plan d/c home with services", "to OR in am", "back from cath lab",
    "wires to pacer, pacer on standby", "in NSR with rare PVCs", "sent to lab", "from side to side",
    "son and daughter in to visit", "wife and family at bedside", "daughter at bedside, updated",
    "ETT at the 22 cm mark", "sister in {REGION} called", "son lives in {REGION}", "pt from {REGION}, visiting family",
    "grandaughter is HCP", "family aware of plan", "to {ABBR} at 1500", "back from {ABBR}", "in {ABBR} at present",
)
PROSE = (
    "The patient tolerated the procedure well without complications.", "She was started on {DRUG} and {DRUG}.",
    "A {ABBR} showed no acute process.", "Labs were notable for {LAB} and {LAB}.", "He denies chest pain or dyspnea.",
    "Exam was notable for a positive {EPONYM}.", "History is significant for {EPONYM}.",
    "Physical Therapy evaluated her and recommended home with services.", "Pain was controlled with {DRUG}.",
    "We will continue {DRUG} and follow up in two weeks.", "The Emergency Department gave {DRUG} and fluids.",
    "There is no evidence of {EPONYM}.", "Blood cultures grew Gram-positive cocci in clusters.",
    "Will discuss with Cardiology regarding {ABBR}.", "Patient was seen and examined at the bedside.",
    "Mark the site before surgery.", "Vital signs: {LAB}, {LAB}.", "Family History: noncontributory.",
    "Her diabetes was managed with {DRUG} and a sliding scale.", "Social Work will assist with placement.",
    "Kidney function improved with hydration.", "Follow up with Oncology as scheduled.",
    "Past history includes {EPONYM} and hypertension.", "He was transfused one unit of packed red cells.",
    "Given the Wells score, a CT angiogram was not pursued.", "Case discussed with Infectious Disease.",
    "Her sister lives in {REGION}.", "He recently returned from {REGION}.", "Daughter and son were at the bedside.",
    "Alert and oriented times three.", "Found to be in {ABBR} on arrival.", "Transferred to {ABBR} for monitoring.",
    "{ABBR} was stopped early because of chest pain.", "{ABBR} showed no change from prior.",
    "{ABBR} scheduled for tomorrow morning.", "{ABBR} and {ABBR} were reviewed.", "{ABBR} was reportedly held.",
    "{ABBR} was done yesterday.", "{ABBR} is pending.", "{ABBR} reportedly negative.", "{ABBR} was restarted.",
    "ECG showed inverted T waves in {LEADS}.", "ST depressions in {LEADS}.", "Record reviewed with the team.",
)
# States and countries are not PHI under Safe Harbor (only places smaller than a state are).
REGIONS = ("California", "Florida", "FLA", "Calif", "Texas", "New York", "Maine", "Ohio", "Europe", "Canada", "Mexico",
           "Ireland", "India", "Australia", "England", "Puerto Rico", "Connecticut", "New Jersey", "Virginia", "Asia",
           "the Philippines", "Haiti", "Vietnam", "Russia", "Italy", "Greece", "Poland", "Germany", "Africa")


_BANKS = {"ABBR": ABBREVIATIONS, "LAB": LABS, "DRUG": DRUGS, "EPONYM": EPONYMS, "REGION": REGIONS, "LEADS": ECG_LEADS}
_NEGATIVE_SLOT = re.compile(r"\{(ABBR|LAB|DRUG|EPONYM|REGION|LEADS)\}")


def fill(rng: random.Random, template: str) -> str:
    """Replace the negative slots ({ABBR}, {LAB}, {DRUG}, {EPONYM}, {REGION}) with clinical words; PHI slots stay."""
    return _NEGATIVE_SLOT.sub(lambda m: _negative(rng, m.group(1)), template)


def _negative(rng: random.Random, slot: str) -> str:
    if slot == "ABBR" and rng.random() < 0.5:  # abbreviations no list holds: MIBI, TTP, LTAC
        return "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(rng.randint(2, 5)))
    return rng.choice(_BANKS[slot])


def medication_list(rng: random.Random) -> str:
    """A medication list: capitalised drug names, one a line, that are no names."""
    lines = []
    for drug in rng.sample(DRUGS, rng.randint(2, 7)):
        drug = drug if rng.random() < 0.6 else drug.upper() if rng.random() < 0.5 else drug.capitalize()
        dose = rng.choice(("5", "10", "20", "40", "81", "500"))
        unit = rng.choice(("MG", "mg", "mcg", "units"))
        lines.append(f"{drug} {dose} {unit} {rng.choice(('PO QD', 'PO BID', 'IV Q8H', 'daily', 'TID PRN', 'QHS'))}")
    return "\n".join(lines)


def problem_list(rng: random.Random) -> str:
    """Diagnoses in title case, as problem lists write them."""
    return "\n".join(f"{i}. {d}" if rng.random() < 0.5 else d
                     for i, d in enumerate(rng.sample(DIAGNOSES, rng.randint(2, 6)), 1))


def nursing(rng: random.Random) -> str:
    sentence = fill(rng, rng.choice(NURSING))
    r = rng.random()
    return jargon(rng) if r < 0.2 else sentence + ", " + jargon(rng) if r < 0.6 else sentence


def prose(rng: random.Random) -> str:
    sentence = fill(rng, rng.choice(PROSE))
    if rng.random() < 0.3:
        extra = jargon(rng, 3, 9)
        sentence += " " + extra[0].upper() + extra[1:] + "."
    return sentence


_PREPOSITIONS = ("to", "from", "at", "in", "on", "into", "with", "per", "by", "via")


@functools.cache
def _vocabulary() -> tuple[list[str], list[str]]:
    lex = lexicon.load()
    return sorted(lex.common_words), sorted(lex.not_phi)  # sorted: a set's order changes between processes


def typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    dropped, doubled = word[:i] + word[i + 1:], word[:i] + word[i] + word[i:]
    swapped = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return rng.choice((dropped, swapped, doubled))


def _jargon_token(rng: random.Random) -> str:
    words, clinical = _vocabulary()
    r = rng.random()
    if r < 0.2:  # "to side", "at times", "from OR", "in NARD": most words after a preposition are no place
        word = _jargon_token(rng)
        return rng.choice(_PREPOSITIONS) + rng.choice(("", "", " the", " a")) + " " + (
            word if word.isupper() else word.lower())  # in prose, a capital after "in" is a place more often
    if r < 0.45:
        word = rng.choice(words)
    elif r < 0.6:
        word = rng.choice(words)
        word = typo(rng, word) if len(word) > 3 else word
    elif r < 0.72:
        return "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(rng.randint(2, 5)))
    elif r < 0.8:
        word = typo(rng, rng.choice(DRUGS))
    elif r < 0.88:
        word = rng.choice(clinical)
    else:
        return rng.choice((f"Q{rng.randint(1, 8)}", f"{rng.randint(1, 9)}00'S",
                           f"{rng.randint(1, 40)}.{rng.randint(0, 9)}", f"{rng.randint(80, 100)}%",
                           f"X{rng.randint(1, 4)}", f"{rng.randint(1, 20)}MG"))
    return word.capitalize() if rng.random() < 0.25 else word  # capitals alone do not make a name


def jargon(rng: random.Random, low: int = 2, high: int = 7) -> str:
    """What real notes have and templates lack: rare words, misspellings, ad-hoc abbreviations, numbers.

    Without it every word the templates did not use would be a surrogate, and the model would
    learn that an unknown word is PHI."""
    words = [_jargon_token(rng) for _ in range(rng.randint(low, high))]
    return " ".join(w + rng.choice(("", "", "", ",", ".", "..", " -", "/")) for w in words).strip(" /-")
