#!/usr/bin/env python3
"""Inventory fixtures for `vmctr import`, generated (nothing binary is
committed). Python standard library only.

    tests/import/gen.py OUTDIR          write every fixture into OUTDIR
    tests/import/gen.py --vms N OUTDIR  also a large vInfo export (bench)

Fixtures:
  rv47/            RVTools 4.7-style CSV directory: vMetaData, vInfo (custom
                   attributes between Annotation and Datacenter), vUSB,
                   vNetwork, vDisk; UTF-8 with BOM; odd names, duplicates,
                   empty cells, templates, SRM placeholders, powered-off VMs
  rv3x/            older headers ("Provisioned MB", "Power State" ...)
  camel/           camelCase headers (vInfoVMName ...)
  euro/            semicolon-separated, Latin-1 bytes, CRLF line ends
  utf16le/         UTF-16LE with a BOM, tab-separated (Excel "Unicode text")
  utf16be/         UTF-16BE with a BOM, comma-separated
  rv47.xlsx        the rv47 tables as a workbook (python zipfile), shared
                   and inline strings, booleans, a namespace prefix
  hostile/         inputs that must be refused with exit 3 and a position
  expect.json      what the fixtures hold (VM counts, skipped rows) for
                   tests/import/check.py
"""
import csv
import io
import json
import os
import random
import struct
import sys
import zipfile

# vInfo columns of a 4.7 export, in order (Yoobuu/Kylow compare report,
# kubev2v/migration-planner); custom attributes go between Annotation and
# Datacenter.
VINFO_47 = [
    "VM", "Powerstate", "Template", "SRM Placeholder", "Config status", "DNS Name", "Connection state",
    "Guest state", "Heartbeat", "Consolidation Needed", "PowerOn", "Suspended To Memory", "Suspend time",
    "Suspend Interval", "Creation date", "Change Version", "CPUs", "Memory", "Active Memory", "NICs", "Disks",
    "Total disk capacity MiB", "Fixed Passthru HotPlug", "min Required EVC Mode Key", "Latency Sensitivity",
    "Op Notification Timeout", "EnableUUID", "CBT", "Primary IP Address", "Network #1", "Num Monitors",
    "Video Ram KiB", "Resource pool", "Folder ID", "Folder", "vApp", "DAS protection", "FT State", "FT Role",
    "FT Latency", "FT Bandwidth", "FT Sec. Latency", "Provisioned MiB", "In Use MiB", "Unshared MiB",
    "HA Restart Priority", "HA Isolation Response", "HA VM Monitoring", "Cluster rule(s)",
    "Cluster rule name(s)", "Boot Required", "Boot delay", "Boot retry delay", "Boot retry enabled",
    "Boot BIOS setup", "Reboot PowerOff", "EFI Secure boot", "Firmware", "HW version", "HW upgrade status",
    "HW upgrade policy", "HW target", "Path", "Log directory", "Snapshot directory", "Suspend directory",
    "Annotation", "@ATTRS", "Datacenter", "Cluster", "Host", "OS according to the configuration file",
    "OS according to the VMware Tools", "Customization Info", "Guest Detailed Data", "VM ID", "SMBIOS UUID",
    "VM UUID", "VI SDK Server type", "VI SDK API Version", "VI SDK Server", "VI SDK UUID",
]
ATTRS = ["Application", "Owner", "Backup status"]
# what older exports and the camelCase command-line export call the columns read
RV3X = {"Powerstate": "Power State", "Provisioned MiB": "Provisioned MB", "In Use MiB": "In Use MB",
        "Total disk capacity MiB": None, "Customization Info": None, "Guest Detailed Data": None,
        "SMBIOS UUID": None}
CAMEL = {"VM": "vInfoVMName", "Powerstate": "vInfoPowerstate", "Template": "vInfoTemplate",
         "SRM Placeholder": "vInfoSRMPlaceHolder", "Annotation": "vInfoAnnotation",
         "Datacenter": "vInfoDataCenter", "Cluster": "vInfoCluster", "Host": "vInfoHost",
         "Folder": "vInfoFolder", "OS according to the configuration file": "vInfoOS",
         "OS according to the VMware Tools": "vInfoOSTools", "FT State": "vInfoFTState",
         "HA Restart Priority": "vInfoHARestartPriority", "VM UUID": "vInfoVMUUID",
         "DAS protection": "vInfoDASProtection"}
TRAILER = ["Annotation", "Datacenter", "Cluster", "Host", "Folder", "OS according to the configuration file",
           "OS according to the VMware Tools", "VM ID", "VM UUID", "VI SDK Server", "VI SDK UUID"]

# (string, expected os) - the odd ones on purpose
OS_CFG = [
    ("Microsoft Windows Server 2019 (64-bit)", "windows"),
    ("Microsoft Windows Server 2008 R2 (64-bit)", "windows"),
    ("Red Hat Enterprise Linux 8 (64-bit)", "linux"),
    ("Ubuntu Linux (64-bit)", "linux"),
    ("SUSE Linux Enterprise 15 (64-bit)", "linux"),
    ("Other 3.x or later Linux (64-bit)", "linux"),
    ("VMware Photon OS (64-bit)", "linux"),
    ("FreeBSD 12 or later versions (64-bit)", "other"),
    ("Oracle Solaris 11 (64-bit)", "other"),
    ("Other (64-bit)", None),
    ("", None),
]
ODD_NAMES = ["WEB 01", "db_01", "Ünïcode-VM", "-leading-dash", "x" * 80, "123", "a.b.c", "UPPER", "true",
             "null", "café\u202egnp.exe", "esc\x1b[31mred", "quote\"back\\slash", "new\nline"]
HOSTILE_TEXT = ["plain", "true", "1234", "null", "- dash", ": colon", "# hash", "a\nb", "\x1b]0;title\x07",
                "\u202eevil", "'single'", "\"double\"", "tab\there", "{flow}", "[seq]", "&anchor", "*alias", "!tag",
                "%", "@", "`", "|", ">", "   spaced   "]


def vm_rows(n, seed=7):
    """The VMs of the export: dicts keyed by 4.7 column name, plus the
    expected outcome under '_expect'."""
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        name = ODD_NAMES[i] if i < len(ODD_NAMES) else "vm-%04d" % i
        if i == len(ODD_NAMES):
            name = "WEB 01"  # a duplicate
        os_cfg, os_exp = OS_CFG[i % len(OS_CFG)]
        tools = ""
        if i % 7 == 3:  # Tools know better than the configuration file
            tools, os_exp = "Microsoft Windows 10 (64-bit)", "windows"
        template = i % 29 == 5
        srm = i % 31 == 6 and not template
        power = "poweredOff" if i % 5 == 4 else ("suspended" if i % 17 == 8 else "poweredOn")
        ft = "running" if i % 13 == 2 else "notConfigured"
        ha = ["high", "highest", "medium", "low", "disabled", ""][i % 6]
        das = "False" if i % 11 == 10 else "True"
        avail = "critical" if ft == "running" else ("high" if ha in ("high", "highest") and das == "True" else None)
        app = ["shop", "erp", "", "crm"][i % 4]
        if i >= 40 and i < 110:
            app = "bigapp"  # 70 VMs: split over 64
        annot = HOSTILE_TEXT[i % len(HOSTILE_TEXT)] if i % 3 == 0 else ""
        r = {c: "" for c in VINFO_47}
        r.update({
            "VM": name, "Powerstate": power, "Template": "True" if template else "False",
            "SRM Placeholder": "True" if srm else "False", "CPUs": str(rnd.choice([1, 2, 4, 8])),
            "Memory": str(rnd.choice([2048, 4096, 16384])), "Folder": ["Prod", "Test", "Prod/Apps"][i % 3],
            "DAS protection": das, "FT State": ft, "HA Restart Priority": ha, "Annotation": annot,
            "Datacenter": "DC%d" % (i % 2 + 1), "Cluster": "Cluster-%d" % (i % 3), "Host": "esx%02d.lab" % (i % 8),
            "OS according to the configuration file": os_cfg, "OS according to the VMware Tools": tools,
            "VM ID": "vm-%d" % (1000 + i), "VM UUID": "4210%04x-aaaa-bbbb-cccc-%012x" % (i, i),
            "VI SDK Server": "vcenter.lab", "Application": app, "Owner": HOSTILE_TEXT[i % len(HOSTILE_TEXT)],
            "Backup status": "",
        })
        hw = None
        if i % 19 == 9:
            hw = "usb"
        elif i % 23 == 10:
            hw = "dpio"
        elif i % 37 == 11:
            hw = "rdm"
        r["_expect"] = {"name": name, "skip": template or srm, "template": template, "srm": srm, "os": os_exp,
                        "availability": avail, "hw": hw, "power": power, "app": app}
        rows.append(r)
    return rows


def columns(variant):
    cols = []
    for c in VINFO_47:
        if c == "@ATTRS":
            if variant != "rv3x":
                cols.extend(ATTRS)
            continue
        if variant == "rv3x" and c in RV3X:
            if RV3X[c] is None:
                continue
            cols.append((c, RV3X[c]))
            continue
        if variant == "camel" and c in CAMEL:
            cols.append((c, CAMEL[c]))
            continue
        cols.append(c)
    return [(c, c) if isinstance(c, str) else c for c in cols]


def vinfo_table(rows, variant):
    cols = columns(variant)
    out = [[h for _, h in cols]]
    for r in rows:
        out.append([r.get(c, "") for c, _ in cols])
    return out


def device_tables(rows):
    usb = [["VM", "Powerstate", "Template", "SRM Placeholder", "Device Node", "Device Type", "Connected"] +
           TRAILER[:1]]
    net = [["VM", "Powerstate", "Template", "SRM Placeholder", "NIC label", "Adapter", "Network", "Switch",
            "Connected", "Starts Connected", "Mac Address", "Type", "IPv4 Address", "IPv6 Address",
            "Direct Path IO"]]
    disk = [["VM", "Powerstate", "Template", "SRM Placeholder", "Disk", "Disk Key", "Capacity MiB", "Raw",
             "Disk Mode", "Sharing mode"]]
    for r in rows:
        e = r["_expect"]
        if e["hw"] == "usb":
            usb.append([r["VM"], r["Powerstate"], "False", "False", "USB 1", "dongle", "True", ""])
        net.append([r["VM"], r["Powerstate"], "False", "False", "Network adapter 1", "vmxnet3", "VM Network",
                    "vSwitch0", "True", "True", "00:50:56:00:00:01", "vmxnet3", "10.0.0.1", "",
                    "True" if e["hw"] == "dpio" else "False"])
        disk.append([r["VM"], r["Powerstate"], "False", "False", "Hard disk 1", "2000", "40960",
                     "True" if e["hw"] == "rdm" else "False", "persistent", "sharingNone"])
    return usb, net, disk


META = [["RVTools version", "xlsx creation datetime", "Server"], ["4.7.1.4", "2024-10-01 10:00", "vcenter.lab"]]


def write_csv(path, table, delim=",", bom=True, encoding="utf-8", newline="\r\n"):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delim, lineterminator=newline)
    for row in table:
        w.writerow(row)
    data = buf.getvalue().encode(encoding, errors="replace")
    with open(path, "wb") as f:
        if bom and encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            f.write("\ufeff".encode(encoding))
        f.write(data)


def write_csv_dir(d, rows, variant, **kw):
    os.makedirs(d, exist_ok=True)
    write_csv(os.path.join(d, "RVTools_tabvMetaData.csv"), META, **kw)
    write_csv(os.path.join(d, "RVTools_tabvInfo.csv"), vinfo_table(rows, variant), **kw)
    usb, net, disk = device_tables(rows)
    write_csv(os.path.join(d, "RVTools_tabvUSB.csv"), usb, **kw)
    write_csv(os.path.join(d, "RVTools_tabvNetwork.csv"), net, **kw)
    write_csv(os.path.join(d, "RVTools_tabvDisk.csv"), disk, **kw)


# ---- xlsx ---------------------------------------------------------------------

def xml_text(s):
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    # characters XML 1.0 cannot carry at all are written as Excel does: _xHHHH_
    return "".join(c if c in "\t\n\r" or ord(c) >= 0x20 else "_x%04X_" % ord(c) for c in s)


def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def sheet_xml(table, sst, prefix=""):
    p = prefix + ":" if prefix else ""
    ns = ' xmlns%s="http://schemas.openxmlformats.org/spreadsheetml/2006/main"' % (":" + prefix if prefix else "")
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<%sworksheet%s><%ssheetData>' % (p, ns, p)]
    for ri, row in enumerate(table, start=1):
        cells = []
        for ci, v in enumerate(row):
            if v == "":
                continue
            ref = "%s%d" % (col_name(ci), ri)
            if v in ("True", "False") and ri > 1:
                cells.append('<%sc r="%s" t="b"><%sv>%d</%sv></%sc>' % (p, ref, p, v == "True", p, p))
            elif v.isdigit() and len(v) < 10 and ri > 1:
                cells.append('<%sc r="%s"><%sv>%s</%sv></%sc>' % (p, ref, p, v, p, p))
            elif ci % 5 == 4:
                cells.append('<%sc r="%s" t="inlineStr"><%sis><%st>%s</%st></%sis></%sc>' %
                             (p, ref, p, p, xml_text(v), p, p, p))
            else:
                if v not in sst:
                    sst[v] = len(sst)
                cells.append('<%sc r="%s" t="s"><%sv>%d</%sv></%sc>' % (p, ref, p, sst[v], p, p))
        out.append('<%srow r="%d">%s</%srow>' % (p, ri, "".join(cells), p))
    out.append("</%ssheetData></%sworksheet>" % (p, p))
    return "".join(out)


def sst_xml(sst):
    items = sorted(sst.items(), key=lambda kv: kv[1])
    body = "".join('<si><t xml:space="preserve">%s</t></si>' % xml_text(k) for k, _ in items)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
            '%s</sst>' % (len(items), len(items), body))


def write_xlsx(path, sheets, extra=None, sheet_override=None, sst_override=None, prefix_sheets=()):
    """sheets: [(name, table)]. extra: {entry: bytes} added as is."""
    sst = {}
    bodies = []
    for i, (name, table) in enumerate(sheets):
        bodies.append(sheet_xml(table, sst, "x" if name in prefix_sheets else ""))
    wb = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook '
          'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>']
    rels = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">']
    for i, (name, _) in enumerate(sheets, start=1):
        wb.append('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (xml_text(name), i, i))
        rels.append('<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    'relationships/worksheet" Target="worksheets/sheet%d.xml"/>' % (i, i))
    wb.append("</sheets></workbook>")
    rels.append("</Relationships>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types '
                   'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("xl/workbook.xml", "".join(wb))
        z.writestr("xl/_rels/workbook.xml.rels", "".join(rels))
        z.writestr("xl/sharedStrings.xml", sst_override if sst_override is not None else sst_xml(sst))
        for i, body in enumerate(bodies, start=1):
            if sheet_override and i in sheet_override:
                body = sheet_override[i]
            z.writestr("xl/worksheets/sheet%d.xml" % i, body)
        for k, v in (extra or {}).items():
            z.writestr(k, v)


def lie_size(data, name, ratio):
    """Multiplies entry `name`'s uncompressed size by ratio (a float), or
    sets it (an int), in the central directory and in the entry's local
    header (so the two agree)."""
    p = 0
    while True:
        p = data.find(b"PK\x01\x02", p)
        if p < 0:
            return
        nlen = struct.unpack_from("<H", data, p + 28)[0]
        if bytes(data[p + 46:p + 46 + nlen]) == name.encode():
            size = ratio if isinstance(ratio, int) else int(struct.unpack_from("<I", data, p + 24)[0] * ratio)
            struct.pack_into("<I", data, p + 24, size)
            struct.pack_into("<I", data, struct.unpack_from("<I", data, p + 42)[0] + 22, size)
        p += 4


def hostile(d, rows):
    os.makedirs(d, exist_ok=True)
    small = rows[:5]
    vinfo = vinfo_table(small, "rv47")
    exp = {}
    # a zip bomb: 100 MB of zeros in one entry
    with zipfile.ZipFile(os.path.join(d, "bomb.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (100 * 1024 * 1024))
    exp["bomb.xlsx"] = "zip bomb"
    # entity expansion (billion laughs) in a sheet
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
              ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
              ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
              '<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData>'
              '</worksheet>')
    write_xlsx(os.path.join(d, "laughs.xlsx"), [("vInfo", vinfo)], sheet_override={1: laughs})
    exp["laughs.xlsx"] = "document type declaration"
    # an external entity
    xxe = ('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
           '<sst><si><t>&xxe;</t></si></sst>')
    write_xlsx(os.path.join(d, "xxe.xlsx"), [("vInfo", vinfo)], sst_override=xxe)
    exp["xxe.xlsx"] = "document type declaration"
    # path traversal in an entry name
    write_xlsx(os.path.join(d, "traversal.xlsx"), [("vInfo", vinfo)], extra={"../../evil.sh": "rm -rf /"})
    exp["traversal.xlsx"] = "path traversal"
    write_xlsx(os.path.join(d, "absolute.xlsx"), [("vInfo", vinfo)], extra={"/etc/cron.d/x": "x"})
    exp["absolute.xlsx"] = "absolute path"
    # a central directory (and local header) that lies about the sheet's
    # inflated size, smaller and larger than the truth (the CRC is right)
    for fname, ratio, why in (("lie-small.xlsx", 0.25, "inflates past its declared size"),
                              ("lie-large.xlsx", 2.0, "inflates to less than its declared size"),
                              ("lie-huge.xlsx", (512 << 20) + 1, "more than 512 MiB (VM_LIMIT_INV_ENTRY_BYTES)")):
        p = os.path.join(d, fname)
        write_xlsx(p, [("vInfo", vinfo)])
        with open(p, "rb") as f:
            data = bytearray(f.read())
        lie_size(data, "xl/worksheets/sheet1.xml", ratio)
        with open(p, "wb") as f:
            f.write(data)
        exp[fname] = why
    # a huge cell, in a shared string and in a CSV
    big = [r[:] for r in vinfo]
    big[2][vinfo[0].index("Annotation")] = "A" * 40000
    write_xlsx(os.path.join(d, "hugecell.xlsx"), [("vInfo", big)])
    exp["hugecell.xlsx"] = "cell of more than"
    write_csv(os.path.join(d, "hugecell.csv"), big)
    exp["hugecell.csv"] = "cell of more than"
    # an unterminated quote swallowing the rest of a large file
    with open(os.path.join(d, "openquote.csv"), "w") as f:
        f.write("VM,Annotation\nvm1,\"never closed\n" + ("x" * 100 + "\n") * 1000)
    exp["openquote.csv"] = "cell of more than"
    # too many columns
    with open(os.path.join(d, "wide.csv"), "w") as f:
        f.write(",".join("c%d" % i for i in range(2000)) + "\n")
    exp["wide.csv"] = "row of more than"
    # UTF-16 that is not: a lone low surrogate on line 2 (column 4), a high
    # surrogate followed by a letter (BE), an odd number of bytes
    with open(os.path.join(d, "utf16-lone.csv"), "wb") as f:
        f.write("\ufeffVM,Powerstate\nvm1\udc00x,poweredOn\n".encode("utf-16-le", "surrogatepass"))
    exp["utf16-lone.csv"] = "unpaired UTF-16 surrogate U+DC00"
    with open(os.path.join(d, "utf16-high.csv"), "wb") as f:
        f.write("\ufeffVM,Powerstate\nvm1,on\ud800x\n".encode("utf-16-be", "surrogatepass"))
    exp["utf16-high.csv"] = "unpaired UTF-16 surrogate U+D800"
    with open(os.path.join(d, "utf16-odd.csv"), "wb") as f:
        f.write("\ufeffVM\nvm1\n".encode("utf-16-le") + b"x")
    exp["utf16-odd.csv"] = "odd number of bytes"
    # a zip signature and then garbage
    with open(os.path.join(d, "garbage.xlsx"), "wb") as f:
        f.write(b"PK\x03\x04" + bytes(range(256)) * 4)
    exp["garbage.xlsx"] = "not a readable"
    # malformed XML
    write_xlsx(os.path.join(d, "badxml.xlsx"), [("vInfo", vinfo)], sheet_override={1: "<worksheet><sheetData><row>"})
    exp["badxml.xlsx"] = "in xl/worksheets/sheet1.xml"
    # a shared-string index out of range
    write_xlsx(os.path.join(d, "badindex.xlsx"), [("vInfo", vinfo)],
               sheet_override={1: '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>99999</v></c></row>'
                                  '</sheetData></worksheet>'})
    exp["badindex.xlsx"] = "shared string index"
    # row numbers (r=) the provenance would cite wrongly: past the last
    # row of a sheet, zero, negative, and going back
    hdr = '<row r="1"><c r="A1" t="inlineStr"><is><t>VM</t></is></c></row>'
    for fname, r2 in (("rowbig.xlsx", '<row r="4294967297">'), ("rowzero.xlsx", '<row r="0">'),
                      ("rowneg.xlsx", '<row r="-3">'), ("rowback.xlsx", '<row r="1">'),
                      ("rowpast.xlsx", '<row r="1048577">')):
        write_xlsx(os.path.join(d, fname), [("vInfo", vinfo)],
                   sheet_override={1: '<worksheet><sheetData>' + hdr + r2 +
                                      '<c t="inlineStr"><is><t>web</t></is></c></row></sheetData></worksheet>'})
        exp[fname] = "a row's number (r=)"
    # more entries than VM_LIMIT_INV_ZIP_ENTRIES
    with zipfile.ZipFile(os.path.join(d, "entries.xlsx"), "w", zipfile.ZIP_STORED) as z:
        for i in range(4097):
            z.writestr("x/%d" % i, "")
    exp["entries.xlsx"] = "more than 4096 zip entries"
    # more rows than VM_LIMIT_INV_ROWS (rows without a VM name: cheap to skip)
    with open(os.path.join(d, "rows.csv"), "w") as f:
        f.write("VM,Powerstate\n" + ",\n" * 1000000)
    exp["rows.csv"] = "more than 1000000 rows"
    # no VM column
    with open(os.path.join(d, "novm.csv"), "w") as f:
        f.write("Name,Powerstate\nvm1,poweredOn\n")
    exp["novm.csv"] = "no 'VM' column"
    return exp


# ---- other inventories, through column maps ------------------------------------
# (file, map, header, rows, expected os per row, expected current_platform per row)
def mapped_inventories():
    out = []
    # Azure Migrate import CSV: the template's starred headers
    hdr = ["*Server name", "IP addresses", "*Cores", "*Memory (In MB)", "*OS name", "OS version", "OS architecture",
           "Number of disks", "Firmware type"]
    rows, oses = [], []
    for i, (osn, exp) in enumerate([("Windows Server 2019 Datacenter", "windows"), ("Red Hat Enterprise Linux 8", "linux"),
                                    ("Ubuntu 20.04", "linux"), ("Oracle Solaris 11", "other"), ("", None),
                                    ("z/OS", None), ("CentOS 7", "linux"), ("FreeBSD 13", "other")]):
        rows.append(["srv-%02d.corp" % i, "10.0.0.%d" % i, "4", "8192", osn, "", "x64", "2", "UEFI"])
        oses.append(exp)
    rows.append(["", "10.0.0.99", "1", "1", "Windows", "", "", "", ""])  # no name: not a server
    out.append(("azure.csv", None, hdr, rows, oses, [None] * len(oses)))
    # ServiceNow CMDB, element names
    hdr = ["name", "sys_class_name", "os", "os_version", "owned_by", "support_group", "classification",
           "install_status", "operational_status", "virtual", "short_description"]
    rows, oses = [], []
    for i, (cls, osn, exp) in enumerate([("cmdb_ci_win_server", "Windows 2016 Standard", "windows"),
                                         ("cmdb_ci_linux_server", "", "linux"),
                                         ("cmdb_ci_server", "Linux Red Hat", "linux"),
                                         ("cmdb_ci_solaris_server", "", "other"),
                                         ("cmdb_ci_server", "", None), ("cmdb_ci_aix_server", "AIX 7.2", "other")]):
        rows.append(["SNOW-%d" % i, cls, osn, "", "jane.doe" if i % 2 else "", "Payments Ops", "Production",
                     "Installed", "1", "true", "Ledger server\nsecond line" if i == 0 else ""])
        oses.append(exp)
    out.append(("servicenow.csv", "servicenow-cmdb.yaml", hdr, rows, oses, [None] * len(oses)))
    # AWS ADS import template
    hdr = ["ExternalId", "SMBiosId", "IPAddress", "MACAddress", "HostName", "VMware.MoRefId", "VMware.VCenterId",
           "VMware.VMName", "CPU.NumberOfProcessors", "OS.Name", "OS.Version", "RAM.TotalSizeInMB", "Applications",
           "ApplicationWave", "Tags"]
    rows, oses, plats = [], [], []
    for i, (osn, exp, moref) in enumerate([("Microsoft Windows Server 2012 R2", "windows", "vm-101"),
                                           ("Amazon Linux 2", "linux", ""), ("Ubuntu", "linux", "vm-7"),
                                           ("Unknown", None, "")]):
        rows.append(["ext-%d" % i, "", "10.1.0.%d" % i, "", "host-%d" % i, moref, "vc-1" if moref else "",
                     "VM %d" % i, "2", osn, "", "4096", "billing" if i < 2 else "", "wave-1", "env:prod"])
        oses.append(exp)
        plats.append("vmware-esxi" if moref else None)
    out.append(("aws.csv", "aws-ads.yaml", hdr, rows, oses, plats))
    # Google Migration Center vmInfo.csv
    hdr = ["MachineId", "MachineName", "PrimaryIPAddress", "PrimaryMACAddress", "PublicIPAddress",
           "IpAddressListSemiColonDelimited", "TotalDiskAllocatedGiB", "TotalDiskUsedGiB", "MachineTypeLabel",
           "AllocatedProcessorCoreCount", "MemoryGiB", "HostingLocation", "OsType", "OsPublisher", "OsName",
           "OsVersion", "MachineStatus", "ProvisioningState", "CreateDate", "IsPhysical"]
    rows, oses, plats = [], [], []
    for i, (ost, osn, exp, phys) in enumerate([("Windows", "Windows Server 2019", "windows", "false"),
                                               ("Linux", "Debian 11", "linux", "true"),
                                               ("", "Solaris 10", "other", "false"), ("", "", None, "")]):
        rows.append(["m-%d" % i, "gmc-%d" % i, "", "", "", "10.2.0.%d;10.3.0.%d" % (i, i), "100", "50", "", "2", "8",
                     "dc-1", ost, "", osn, "", "Active", "", "", phys])
        oses.append(exp)
        plats.append("none" if phys == "true" else None)
    out.append(("google.csv", "google-migration-center.yaml", hdr, rows, oses, plats))
    return out


def main():
    args = sys.argv[1:]
    n_big = 0
    if args and args[0] == "--vms":
        n_big = int(args[1])
        args = args[2:]
    out = args[0]
    os.makedirs(out, exist_ok=True)
    if n_big:
        rows = vm_rows(n_big, seed=11)
        write_csv(os.path.join(out, "RVTools_tabvInfo.csv"), vinfo_table(rows, "rv47"))
        write_xlsx(os.path.join(out, "big.xlsx"), [("vMetaData", META), ("vInfo", vinfo_table(rows, "rv47"))])
        return
    rows = vm_rows(120)
    write_csv_dir(os.path.join(out, "rv47"), rows, "rv47")
    write_csv_dir(os.path.join(out, "rv3x"), rows, "rv3x", bom=False, newline="\n")
    write_csv_dir(os.path.join(out, "camel"), rows, "camel")
    write_csv_dir(os.path.join(out, "euro"), rows, "rv47", delim=";", bom=False, encoding="latin-1")
    # Excel's "Unicode text": UTF-16LE with a BOM, tab-separated; and UTF-16BE
    write_csv_dir(os.path.join(out, "utf16le"), rows, "rv47", delim="\t", encoding="utf-16-le")
    write_csv_dir(os.path.join(out, "utf16be"), rows, "rv47", encoding="utf-16-be")
    usb, net, disk = device_tables(rows)
    write_xlsx(os.path.join(out, "rv47.xlsx"),
               [("vMetaData", META), ("vInfo", vinfo_table(rows, "rv47")), ("vUSB", usb), ("vNetwork", net),
                ("vDisk", disk)], prefix_sheets=("vDisk",))
    mapped = []
    for fname, mp, hdr, mrows, oses, plats in mapped_inventories():
        write_csv(os.path.join(out, fname), [hdr] + mrows, bom=fname != "aws.csv")
        mapped.append({"file": fname, "map": mp, "os": oses, "platform": plats,
                       "names": [r[hdr.index("HostName") if "HostName" in hdr else
                                   hdr.index("MachineName") if "MachineName" in hdr else 0] for r in mrows]})
    exp = {"vms": [r["_expect"] for r in rows], "hostile": hostile(os.path.join(out, "hostile"), rows),
           "mapped": mapped}
    with open(os.path.join(out, "expect.json"), "w") as f:
        json.dump(exp, f, indent=1)


if __name__ == "__main__":
    main()
