"""Write a set of scanner-like screens that no masking rule was written against, with a manifest.

usage: python bench/scanner_layouts.py OUT_DIR

Eight screens in the layouts of CT, MR, ultrasound, mammography, radiography and nuclear
medicine viewers (patient corner, study corner, technique corners), drawn by Pillow in
several fonts, sizes and polarities on synthetic anatomy, saved as DICOM (pydicom, with the
identifying header values a scanner writes, not always the same as the burned-in ones) or
PNG/JPEG. OUT_DIR/images/scanner-layouts/ gets the files and a manifest.jsonl in the
evaluation data's format (a box for every burned-in word, PHI or not), and OUT_DIR/score_images.py
links to the evaluation data's scorer, so that
`bench/image_bench.py --eval OUT_DIR --sets scanner-layouts` masks and scores them.
"""

import json
import sys
from pathlib import Path

import numpy as np
import pydicom
from eval_data import default_eval_dir  # beside this script
from PIL import Image, ImageDraw, ImageFont
from pydicom.uid import SecondaryCaptureImageStorage, generate_uid

SET = "scanner-layouts"
FONTS = Path("/usr/share/fonts/truetype")
# A word is PHI when it is written "!word"; every other word is the scanner's own text.
SCREENS = [
    {"id": "ct_syngo", "size": (1024, 1024), "font": "dejavu/DejaVuSans.ttf", "px": 17, "format": "dcm",
     "header": {"PatientName": "OKAFOR^CHIDI^E", "PatientID": "MR4471902", "PatientBirthDate": "19580614",
                "PatientAge": "066Y", "PatientSex": "M", "StudyDate": "20240917", "StudyTime": "081233",
                "InstitutionName": "Lakeview Regional Medical Center", "AccessionNumber": "CT24091700831"},
     "corners": {
         "tl": ["!OKAFOR, !CHIDI !E", "!MR4471902", "!14-Jun-1958 M !66Y"],
         "tr": ["!Lakeview !Regional !Medical !Center", "SOMATOM Definition AS", "!17-Sep-2024 !08:12:33",
                "Acc !CT24091700831"],
         "bl": ["kV 120", "mA 212", "Thk 5.0 mm", "Tilt 0.0", "Kernel Br40"],
         "br": ["W 400", "L 40", "Se 3", "Im 45/120", "HFS"]}},
    {"id": "mr_signa", "size": (768, 768), "font": "liberation/LiberationSansNarrow-Regular.ttf", "px": 18,
     "format": "dcm",
     "header": {"PatientName": "LINDQVIST^ASTRID", "PatientID": "0093316675", "PatientBirthDate": "19810302",
                "PatientAge": "043Y", "PatientSex": "F", "StudyDate": "20240404", "StudyTime": "154402",
                "InstitutionName": "Northgate Imaging", "ReferringPhysicianName": "PATEL^RAJ"},
     "corners": {
         "tl": ["Ex: !48823", "Se: 4", "Im: 12", "Ax T2 FRFSE"],
         "tr": ["!Northgate !Imaging", "!LINDQVIST !ASTRID", "!0093316675", "F !43", "!Apr !04 !2024"],
         "bl": ["TR: 4000", "TE: 102", "ET: 16", "FOV 24x24", "5.0thk/1.0sp"],
         "br": ["Ref: !Dr. !Patel", "!15:44:02", "W:1200 L:600"]}},
    {"id": "us_abdomen", "size": (800, 600), "font": "dejavu/DejaVuSansCondensed.ttf", "px": 14, "format": "dcm",
     "rgb": True,
     "header": {"PatientName": "GARCIA^MARIA^L", "PatientID": "55123098", "PatientBirthDate": "19900721",
                "PatientAge": "034Y", "PatientSex": "F", "StudyDate": "20240721", "StudyTime": "140512",
                "InstitutionName": "Lakeside Women's Health"},
     "corners": {
         "tl": ["!Lakeside !Women's !Health", "!GARCIA, !MARIA !L", "ID !55123098", "!07/21/2024 !02:05:12 !PM"],
         "tr": ["C1-6", "Abd", "MI 1.1", "TIs 0.7", "Gn 52", "DR 66", "FR 28", "D 16cm"],
         "bl": ["Liver Long"],
         "br": ["1 Dist 3.42cm", "2 Dist 1.07cm"]}},
    {"id": "mammo_right", "size": (700, 900), "font": "dejavu/DejaVuSerif.ttf", "px": 16, "format": "png",
     "corners": {
         "tl": ["!CHEN, !WEI", "Acc: !2023041503321", "Age: !48y", "!Valley !Breast !Center"],
         "tr": ["R CC"],
         "bl": ["kVp 29", "mAs 80", "AGD 1.21 mGy", "Compr 12.3 daN", "Thick 52 mm"],
         "br": ["Tech: !LM", "!04/15/2023"]}},
    {"id": "cr_portable", "size": (900, 1100), "font": "liberation/LiberationMono-Regular.ttf", "px": 18,
     "format": "jpg", "inverted": True,
     "corners": {
         "tl": ["!JACKSON, !TYRONE", "MRN !00482193", "DOB !1972-11-02", "M"],
         "tr": ["!St. !Luke's !Hospital", "!2024-02-11 !23:47"],
         "bl": ["PORTABLE", "AP", "UPRIGHT"],
         "br": ["Tech: !RM", "EI 412"]}},
    {"id": "nm_bone", "size": (512, 1024), "font": "dejavu/DejaVuSans-Bold.ttf", "px": 13, "format": "dcm",
     "header": {"PatientName": "NOWAK^PIOTR", "PatientID": "PL77120045", "PatientBirthDate": "19470930",
                "PatientSex": "M", "StudyDate": "20231130", "InstitutionName": "St. Anne Hospital"},
     "corners": {
         "tl": ["!NOWAK !PIOTR", "!PL77120045", "!30.09.1947", "ANT"],
         "tr": ["WB Bone Scan", "Tc99m MDP", "740 MBq"],
         "bl": ["Count: 1.2M", "Time: 15 min"],
         "br": ["!St. !Anne !Hospital", "!30.11.2023"]}},
    {"id": "ct_head_dark_text", "size": (600, 600), "font": "liberation/LiberationSans-Bold.ttf", "px": 15,
     "format": "dcm", "dark_text": True,
     "header": {"PatientName": "FERREIRA^JOAO", "PatientID": "3304417", "PatientBirthDate": "20010115",
                "PatientAge": "023Y", "StudyDate": "20240305", "StudyTime": "031500",
                "AccessionNumber": "A55190321"},
     "corners": {
         "tl": ["Name: !FERREIRA !JOAO", "Pat ID: !3304417", "Birth: !01/15/2001", "Sex: M Age: !23Y"],
         "tr": ["Study: CT HEAD WO", "Date: !03/05/2024", "Time: !03:15:00", "Accession: !A55190321"],
         "bl": ["120kV 300mAs", "Slice 2.5mm"],
         "br": ["WW 80 WL 35", "Zoom 1.2"]}},
    {"id": "us_thyroid_light", "size": (720, 540), "font": "dejavu/DejaVuSansMono.ttf", "px": 13, "format": "png",
     "corners": {
         "tl": ["!MORALES !ANA", "!19850403 F", "!Hillcrest !Clinic"],
         "tr": ["L12-3 Thyroid", "MI 0.9 TIs 0.3", "Gain 45 DR 60", "28Hz"],
         "bl": ["R Lobe Trans"],
         "br": ["!2024/06/03 !09:41", "Vol 2.3 ml"]}},
]


def font(screen) -> ImageFont.FreeTypeFont:
    path = FONTS / screen["font"]
    return ImageFont.truetype(str(path), screen["px"]) if path.exists() else ImageFont.load_default(size=screen["px"])


def anatomy(size: tuple[int, int], seed: int) -> np.ndarray:
    """Dark noise with a brighter ellipse: enough texture for OCR to see text on an image."""
    rng = np.random.default_rng(seed)
    width, height = size
    y, x = np.mgrid[0:height, 0:width]
    body = ((x - width / 2) / (width * 0.35)) ** 2 + ((y - height / 2) / (height * 0.38)) ** 2 < 1
    pixels = rng.normal(25, 6, (height, width)) + body * rng.normal(90, 20, (height, width)).clip(30, 160)
    return pixels.clip(0, 255)


def draw_screen(screen: dict, seed: int) -> tuple[np.ndarray, list[dict]]:
    face, (width, height) = font(screen), screen["size"]
    pixels = anatomy(screen["size"], seed)
    image = Image.fromarray(pixels.astype(np.uint8), "L")
    draw = ImageDraw.Draw(image)
    ink = 20 if screen.get("dark_text") else 235
    margin, step = 12, round(screen["px"] * 1.45)
    if screen.get("dark_text"):  # dark text on bright panels, one a corner
        for corner, lines in screen["corners"].items():
            x0, x1 = (0, width // 2) if corner[1] == "l" else (width // 2, width)
            depth = 2 * margin + len(lines) * step
            draw.rectangle((x0, 0, x1, depth) if corner[0] == "t" else (x0, height - depth, x1, height), fill=215)
    boxes = []
    for corner, lines in screen["corners"].items():
        count = len(lines)
        for number, line in enumerate(lines):
            words = line.split(" ")
            text = " ".join(w.lstrip("!") for w in words)
            length = face.getlength(text)
            x = margin if corner[1] == "l" else width - margin - length
            y = margin + number * step if corner[0] == "t" else height - margin - (count - number) * step
            draw.text((x, y), text, fill=ink, font=face)
            offset = 0
            for word in words:
                plain = word.lstrip("!")
                start = x + face.getlength(text[:offset])
                box = draw.textbbox((start, y), plain, font=face)
                boxes.append({"bbox": list(box), "phi": word.startswith("!"), "text": plain})
                offset += len(plain) + 1
    out = np.asarray(image)
    if screen.get("inverted"):
        out = 255 - out
    return out, boxes


def dicom(screen: dict, pixels: np.ndarray) -> pydicom.Dataset:
    """A Secondary Capture with the screen's header values (pydicom writes the file meta on saving)."""
    ds = pydicom.Dataset()
    ds.SOPClassUID, ds.Modality = SecondaryCaptureImageStorage, "OT"
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    for keyword, value in screen["header"].items():
        setattr(ds, keyword, value)
    if screen.get("rgb"):
        ds.set_pixel_data(np.repeat(pixels[..., None], 3, axis=2).astype(np.uint8), "RGB", 8)
    else:
        ds.set_pixel_data(pixels.astype(np.uint16) * 16, "MONOCHROME2", 12)
    return ds


def main() -> None:
    out = Path(sys.argv[1])
    folder = out / "images" / SET
    folder.mkdir(parents=True, exist_ok=True)
    scorer = out / "score_images.py"
    if not scorer.exists():
        scorer.symlink_to(default_eval_dir() / "score_images.py")
    with open(folder / "manifest.jsonl", "w") as manifest:
        for seed, screen in enumerate(SCREENS):
            pixels, boxes = draw_screen(screen, seed)
            name = f"{screen['id']}.{screen['format']}"
            if screen["format"] == "dcm":
                dicom(screen, pixels).save_as(folder / name, enforce_file_format=True)
            else:
                Image.fromarray(pixels.astype(np.uint8), "L").save(folder / name, quality=92)
            manifest.write(json.dumps({"id": screen["id"], "file": name, "boxes": boxes}) + "\n")
    print(f"{len(SCREENS)} screens in {folder}")


if __name__ == "__main__":
    main()
