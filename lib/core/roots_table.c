/*
 * roots_table.c - the roots each accepted CA brand may anchor at.
 *
 * This table is the single list of accepted roots.  Each row pins a
 * root by the SHA-256 of its DER SubjectPublicKeyInfo; the committed
 * bundle lib/x509/roots_bundle.pem holds exactly the certificates of these
 * rows, and scripts/update-roots.sh regenerates it from the installed
 * ca-certificates package by reading the hashes out of this file (keep
 * the one-field-per-line layout: the script parses it).
 * trust_load_builtin() refuses to start if the bundle and this table
 * disagree.
 *
 * mozilla_removal is the day the root leaves (or left) Mozilla's store
 * for TLS.  Mozilla's Root Store Policy 7.4 ends the websites trust bit
 * by the age of the root's key: created before 2006, 2025-04-15;
 * 2006-07, 2026-04-15; 2008-09, 2027-04-15; 2010-11, 2028-04-15;
 * 2012 to mid-April 2014, 2029-04-15; later, 15 years after.  For the
 * roots whose day has passed (the 2025 and 2026 rows) it is the day
 * Mozilla applied: first as a "distrust for TLS after" date, so nothing
 * issued later is trusted, and the certificates themselves left its
 * bundle some months after.  The later dates are projections from the
 * certificate's notBefore and may move if Mozilla dates a key earlier
 * (GlobalSign publishes the same dates for R3, R5 and R6).  The trust
 * store is not trimmed by these dates: the chain rules warn when the
 * anchor has left or is about to leave, and name the date.
 *
 * How each brand's set was chosen:
 *
 * DigiCert (16).  Its own roots, every generation: the 2006 "G1" roots
 * (Assured ID, Global, High Assurance EV) lost TLS trust in 2026 but
 * still anchor a great many deployed chains, and a clear "left
 * Mozilla's store" warning is more useful than "not accepted".  Plus
 * what DigiCert bought: Baltimore CyberTrust (2015) and QuoVadis (2019).
 * Baltimore expired on 2025-05-12 and is still in Debian's package; it
 * stays here so the verdict on a chain to it is "root expired" (the
 * verifier checks each root's own validity) and not "not accepted".
 * Symantec, GeoTrust, Thawte, RapidSSL and VeriSign are DigiCert's too,
 * but no root of theirs is left in Mozilla's store; what DigiCert issues
 * under those names today chains to the DigiCert roots below.
 * SecureSign Root CA12/14/15 belong to Cybertrust Japan, which has
 * nothing to do with Baltimore CyberTrust: excluded.
 *
 * GoDaddy (4).  Go Daddy Class 2 and Go Daddy Root G2, and the two roots
 * of its Starfield Technologies brand, Starfield Class 2 and Starfield
 * Root G2.  Starfield Services Root Certificate Authority - G2 carries
 * the Starfield name but is operated by Amazon Trust Services and
 * cross-signs Amazon Root CA 1-4; accepting it would accept every
 * Amazon-issued chain, so it is left out on purpose.
 *
 * Let's Encrypt (2).  ISRG Root X1 (RSA) and X2 (EC).  ISRG is the legal
 * operator of Let's Encrypt.  DST Root CA X3, IdenTrust's old cross-sign
 * for Let's Encrypt, expired in 2021 and is in no current package.
 *
 * IdenTrust (2).  Commercial Root CA 1 and Public Sector Root CA 1, both
 * in Mozilla's store with the TLS bit.
 *
 * Comodo (7).  COMODO Certification Authority, COMODO RSA and COMODO
 * ECC; Sectigo Public Server Authentication Root R46 and E46 (Comodo CA
 * renamed itself Sectigo in 2018); USERTrust RSA and ECC (bought by
 * Comodo; most Sectigo RSA chains anchor at USERTrust RSA).
 * AAA Certificate Services (Comodo's 2004 root) is excluded: Mozilla
 * removed its TLS trust bit on 2025-04-15, and Debian's current package
 * (20250419~deb12u2) blacklists it, so it could not be pinned without
 * pinning a package that is no longer the current one.  Excluding it
 * costs nothing for live chains: servers that still send the
 * "USERTrust RSA Certification Authority" cross-signed by AAA are
 * anchored at the self-signed USERTrust RSA root, which is here.
 *
 * GlobalSign (7).  R1 (GlobalSign Root CA, out of Mozilla's store since
 * 2025 but still common), R3, R6, R46, and the EC roots R4, R5 and E46.
 *
 * EC roots.  The carrier accepts RSA keys only, so a chain ending at one
 * of the ten EC roots can never pass.  They are still listed: the
 * rsa-key rules then say "the path holds an EC key", which tells the
 * user what to change, where leaving them out would say only that the
 * CA is not accepted.
 *
 * Names are the subject CN, or the OU where there is no CN or where the
 * CN ("GlobalSign") does not say which root it is.
 */
#include <stdio.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "core/roots_table.h"
#include "core/timeutil.h"

const struct root_info root_table[] = {
	/* DigiCert: its own roots */
	{
		.brand = BRAND_DIGICERT,
		.name = "DigiCert Assured ID Root CA",
		.spki_sha256 = "23f2edff3ede90259a9e30f40af8f912a5e5b3694e6938440341f6060e014ffa",
		.mozilla_removal = "2026-04-15",
		.why = "DigiCert's own first-generation RSA root (2006)",
	},
	{
		.brand = BRAND_DIGICERT,
		.name = "DigiCert Assured ID Root G2",
		.spki_sha256 = "f1c6ba670cfc88e4df52973cae420f0a089dd474144fe5806c420064e1591229",
		.mozilla_removal = "2029-04-15",
		.why = "DigiCert's own RSA root of the 2013 generation",
	},
	{
		.brand = BRAND_DIGICERT,
		.name = "DigiCert Assured ID Root G3",
		.spki_sha256 = "15eed339594b304f8cf847b477371d8d6fec61f4db2b01af589e7c53b35cae4c",
		.mozilla_removal = "2029-04-15",
		.why = "DigiCert's own EC root of the 2013 generation; listed so an EC path is named as such",
	},
	{
		.brand = BRAND_DIGICERT,
		.name = "DigiCert Global Root CA",
		.spki_sha256 = "aff988906dde12955d9bebbf928fdcc31cce328d5b9384f21c8941ca26e20391",
		.mozilla_removal = "2026-04-15",
		.why = "DigiCert's own first-generation RSA root (2006), also under RapidSSL/GeoTrust/Thawte-branded intermediates",
	},
	{
		.brand = BRAND_DIGICERT,
		.name = "DigiCert Global Root G2",
		.spki_sha256 = "8bb593a93be1d0e8a822bb887c547890c3e706aad2dab76254f97fb36b82fc26",
		.mozilla_removal = "2029-04-15",
		.why = "DigiCert's own general-purpose RSA root of the 2013 generation",
	},
	{
		.brand = BRAND_DIGICERT,
		.name = "DigiCert Global Root G3",
		.spki_sha256 = "b94c198300cec5c057ad0727b70bbe91816992256439a7b32f4598119dda9c97",
		.mozilla_removal = "2029-04-15",
		.why = "DigiCert's own EC counterpart of Global Root G2; listed so an EC path is named as such",
	},
	{
		.brand = BRAND_DIGICERT,
		.name = "DigiCert High Assurance EV Root CA",
		.spki_sha256 = "5a889647220e54d6bd8a16817224520bb5c78e58984bd570506388b9de0f075f",
		.mozilla_removal = "2026-04-15",
		.why = "DigiCert's own first-generation EV RSA root (2006)",
	},
	{
		.brand = BRAND_DIGICERT,
		.name = "DigiCert TLS ECC P384 Root G5",
		.spki_sha256 = "a02fafa192c8cb81cb1341554f9c05b71cca2a890b0d1298d683647c961efbdf",
		.mozilla_removal = "2036-01-15",
		.why = "DigiCert's own TLS-only EC root (2021); listed so an EC path is named as such",
	},
	{
		.brand = BRAND_DIGICERT,
		.name = "DigiCert TLS RSA4096 Root G5",
		.spki_sha256 = "6a97b51c8219e93e5dec64bad5806cdeb0f8355be47e757010b702456e01aafd",
		.mozilla_removal = "2036-01-15",
		.why = "DigiCert's own TLS-only RSA root (2021)",
	},
	{
		.brand = BRAND_DIGICERT,
		.name = "DigiCert Trusted Root G4",
		.spki_sha256 = "59df317bfa9f4f0ab7ca514d7772296aa2c765b87664d08b96e57399e364729c",
		.mozilla_removal = "2029-04-15",
		.why = "DigiCert's own RSA-4096 root of the 2013 generation",
	},
	/* DigiCert: by acquisition */
	{
		.brand = BRAND_DIGICERT,
		.name = "Baltimore CyberTrust Root",
		.spki_sha256 = "63d9af9b47b1064d49a10e7b7fd566dbc8caa399459bfc2829c571ad8c6ef34a",
		.mozilla_removal = "2025-04-15",
		.why = "DigiCert's by acquisition (2015); expired 2025-05-12, kept so such chains are reported as ending at an expired root",
	},
	{
		.brand = BRAND_DIGICERT,
		.name = "QuoVadis Root CA 1 G3",
		.spki_sha256 = "86a68f050034126a540d39db2c5f917ef66a94fb9619fa1ecd827cea46ba0cb0",
		.mozilla_removal = "2029-04-15",
		.why = "DigiCert's by acquisition of QuoVadis (2019)",
	},
	{
		.brand = BRAND_DIGICERT,
		.name = "QuoVadis Root CA 2",
		.spki_sha256 = "8fd112c3c8370f147d5ccd3a7d865eb8dd540783bac69fc60088e3743ff33378",
		.mozilla_removal = "2026-04-15",
		.why = "DigiCert's by acquisition of QuoVadis (2019)",
	},
	{
		.brand = BRAND_DIGICERT,
		.name = "QuoVadis Root CA 2 G3",
		.spki_sha256 = "4a49edbd2f8f8230bd5592b313573fe1c172a45fa98011cc1eddbb36ade3fce5",
		.mozilla_removal = "2029-04-15",
		.why = "DigiCert's by acquisition of QuoVadis (2019)",
	},
	{
		.brand = BRAND_DIGICERT,
		.name = "QuoVadis Root CA 3",
		.spki_sha256 = "0c7acaa710226720bbc940349ee2e6148652a89dbf406a232c895f6dc78ebb9a",
		.mozilla_removal = "2026-04-15",
		.why = "DigiCert's by acquisition of QuoVadis (2019)",
	},
	{
		.brand = BRAND_DIGICERT,
		.name = "QuoVadis Root CA 3 G3",
		.spki_sha256 = "f3438e23b3ce532522facf307923f58fd18608e9ba7addc30e952b43c49616c3",
		.mozilla_removal = "2029-04-15",
		.why = "DigiCert's by acquisition of QuoVadis (2019)",
	},

	/* GoDaddy, and its Starfield Technologies brand */
	{
		.brand = BRAND_GODADDY,
		.name = "Go Daddy Class 2 Certification Authority",
		.spki_sha256 = "5632d97bfa775bf3c99ddea52fc2553410864016729c52dd6524c8a9c3b4489f",
		.mozilla_removal = "2025-04-15",
		.why = "GoDaddy's own first root (2004)",
	},
	{
		.brand = BRAND_GODADDY,
		.name = "Go Daddy Root Certificate Authority - G2",
		.spki_sha256 = "2a8f2d8af0eb123898f74c866ac3fa669054e23c17bc7a95bd0234192dc635d0",
		.mozilla_removal = "2027-04-15",
		.why = "GoDaddy's own current root",
	},
	{
		.brand = BRAND_GODADDY,
		.name = "Starfield Class 2 Certification Authority",
		.spki_sha256 = "15f14ac45c9c7da233d3479164e8137fe35ee0f38ae858183f08410ea82ac4b4",
		.mozilla_removal = "2025-04-15",
		.why = "Starfield Technologies is GoDaddy's; its first root (2004)",
	},
	{
		.brand = BRAND_GODADDY,
		.name = "Starfield Root Certificate Authority - G2",
		.spki_sha256 = "808d68b3fab4884a5f971ace7d10550d7a95a163774f3ec36afffb213fbe4c74",
		.mozilla_removal = "2027-04-15",
		.why = "Starfield Technologies is GoDaddy's; its current root (not the Amazon-run Services G2)",
	},

	/* Let's Encrypt (Internet Security Research Group) */
	{
		.brand = BRAND_LETSENCRYPT,
		.name = "ISRG Root X1",
		.spki_sha256 = "0b9fa5a59eed715c26c1020c711b4f6ec42d58b0015e14337a39dad301c5afc3",
		.mozilla_removal = "2030-06-04",
		.why = "ISRG operates Let's Encrypt; the anchor of its RSA chains and of its cross-signs",
	},
	{
		.brand = BRAND_LETSENCRYPT,
		.name = "ISRG Root X2",
		.spki_sha256 = "762195c225586ee6c0237456e2107dc54f1efc21f61a792ebd515913cce68332",
		.mozilla_removal = "2035-09-04",
		.why = "ISRG operates Let's Encrypt; its EC root, listed so an EC path is named as such",
	},

	/* IdenTrust */
	{
		.brand = BRAND_IDENTRUST,
		.name = "IdenTrust Commercial Root CA 1",
		.spki_sha256 = "07e854f26a7cbd389927aa041bfef1b6cd21dd143818ad947dc655a9e587fe88",
		.mozilla_removal = "2029-04-15",
		.why = "IdenTrust's own commercial root",
	},
	{
		.brand = BRAND_IDENTRUST,
		.name = "IdenTrust Public Sector Root CA 1",
		.spki_sha256 = "58dd61feb36ea7d258724371709149cb121337864cacb2d0999ad20739d06477",
		.mozilla_removal = "2029-04-15",
		.why = "IdenTrust's own public-sector root, trusted by Mozilla for TLS",
	},

	/* Comodo, now Sectigo, with USERTrust */
	{
		.brand = BRAND_COMODO,
		.name = "COMODO Certification Authority",
		.spki_sha256 = "006d7be7555dd82026442c4f1a27a80e89a1989cb87b34448ed2194c18196d5e",
		.mozilla_removal = "2026-04-15",
		.why = "Comodo's own RSA root of 2006",
	},
	{
		.brand = BRAND_COMODO,
		.name = "COMODO ECC Certification Authority",
		.spki_sha256 = "e7ca91bbfbb18788057b3a8070446ea5291160194102f7dcc3b9848c63cb9cd5",
		.mozilla_removal = "2027-04-15",
		.why = "Comodo's own EC root; listed so an EC path is named as such",
	},
	{
		.brand = BRAND_COMODO,
		.name = "COMODO RSA Certification Authority",
		.spki_sha256 = "82b5f84daf47a59c7ab521e4982aefa40a53406a3aec26039efa6b2e0e7244c1",
		.mozilla_removal = "2028-04-15",
		.why = "Comodo's own RSA-4096 root of 2010",
	},
	{
		.brand = BRAND_COMODO,
		.name = "Sectigo Public Server Authentication Root E46",
		.spki_sha256 = "b0b56335468561f5bb9fa12d801784a633a572705d34f32b643445dfa8b005d1",
		.mozilla_removal = "2036-03-22",
		.why = "Comodo CA is Sectigo since 2018; its current EC server root, listed so an EC path is named as such",
	},
	{
		.brand = BRAND_COMODO,
		.name = "Sectigo Public Server Authentication Root R46",
		.spki_sha256 = "0e8bb18bbeefb381be21bfc1a206d317298462ad104855f04a0542699708d3d4",
		.mozilla_removal = "2036-03-22",
		.why = "Comodo CA is Sectigo since 2018; its current RSA server root",
	},
	{
		.brand = BRAND_COMODO,
		.name = "USERTrust ECC Certification Authority",
		.spki_sha256 = "2021917e98263945c859c43f1d73cb4139053c414fa03ca3bc7ee88614298f3b",
		.mozilla_removal = "2028-04-15",
		.why = "USERTrust is Comodo's (Sectigo's) by acquisition; EC root, listed so an EC path is named as such",
	},
	{
		.brand = BRAND_COMODO,
		.name = "USERTrust RSA Certification Authority",
		.spki_sha256 = "c784333d20bcd742b9fdc3236f4e509b8937070e73067e254dd3bf9c45bf4dde",
		.mozilla_removal = "2028-04-15",
		.why = "USERTrust is Comodo's (Sectigo's) by acquisition; the anchor of most Sectigo RSA chains",
	},

	/* GlobalSign */
	{
		.brand = BRAND_GLOBALSIGN,
		.name = "GlobalSign ECC Root CA - R4",
		.spki_sha256 = "08b3a6335fce5ef48f8f0e543986c07fd18a3b1226129f61864bbd5bdd1f1cc9",
		.mozilla_removal = "2029-04-15",
		.why = "GlobalSign's own P-256 root; listed so an EC path is named as such",
	},
	{
		.brand = BRAND_GLOBALSIGN,
		.name = "GlobalSign ECC Root CA - R5",
		.spki_sha256 = "7e0ead76bb6819dc2f54511a84354f6e8b307b9dd82058ea6c004f01d9dda5df",
		.mozilla_removal = "2029-04-15",
		.why = "GlobalSign's own P-384 root; listed so an EC path is named as such",
	},
	{
		.brand = BRAND_GLOBALSIGN,
		.name = "GlobalSign Root CA",
		.spki_sha256 = "2bcee858158cf5465fc9d76f0dfa312fef25a4dca8501da9b46b67d1fbfa1b64",
		.mozilla_removal = "2025-04-15",
		.why = "GlobalSign's own first root (R1, 1998)",
	},
	{
		.brand = BRAND_GLOBALSIGN,
		.name = "GlobalSign Root CA - R3",
		.spki_sha256 = "706bb1017c855c59169bad5c1781cf597f12d2cad2f63d1a4aa37493800ffb80",
		.mozilla_removal = "2027-04-15",
		.why = "GlobalSign's own RSA root of 2009",
	},
	{
		.brand = BRAND_GLOBALSIGN,
		.name = "GlobalSign Root CA - R6",
		.spki_sha256 = "682747f8ba621b87cdd3bc295ed5cabce722a1c0c0363d1d68b38928d2787f1e",
		.mozilla_removal = "2029-12-10",
		.why = "GlobalSign's own RSA-4096 root of 2014",
	},
	{
		.brand = BRAND_GLOBALSIGN,
		.name = "GlobalSign Root E46",
		.spki_sha256 = "e04a022ce32f4ccf2c7f6046287b828a32a909f5e751447f83fd2c71f6fd8173",
		.mozilla_removal = "2034-03-20",
		.why = "GlobalSign's own EC root of 2019; listed so an EC path is named as such",
	},
	{
		.brand = BRAND_GLOBALSIGN,
		.name = "GlobalSign Root R46",
		.spki_sha256 = "ae7f962cb9e6a7dbf7b833fb18fa9b71a89175df949c232b6a9ef7cb3df2bbfc",
		.mozilla_removal = "2034-03-20",
		.why = "GlobalSign's own RSA-4096 root of 2019",
	},
};

const size_t root_table_len = sizeof(root_table) / sizeof(root_table[0]);

/*
 * Roots that look as if they belonged to an accepted brand, or that
 * once anchored accepted chains, and are not accepted.  Only used to
 * say why a chain that ends at one of them fails; never trusted.
 */
const struct root_excluded root_excluded[] = {
	{ .cn = "Starfield Services Root Certificate Authority - G2",
	  .why = "operated by Amazon Trust Services, not by GoDaddy" },
	{ .cn = "AAA Certificate Services",
	  .why = "Comodo's 2004 root, out of Mozilla's store for TLS since "
	    "2025-04-15 and out of Debian's ca-certificates" },
	{ .cn = "DST Root CA X3",
	  .why = "the old cross-sign for Let's Encrypt; expired on 2021-09-30" },
	{ .cn = "AddTrust External CA Root",
	  .why = "Comodo's old root, expired on 2020-05-30; the self-signed "
	    "COMODO RSA or USERTrust RSA root replaces it" },
	{ .cn = "GeoTrust Global CA",
	  .why = "a Symantec-era root, distrusted by browsers in 2018" },
	{ .cn = "Entrust Root Certification Authority",
	  .why = "Entrust is not an accepted brand" },
	{ .cn = "GTS Root R1",
	  .why = "Google Trust Services is not an accepted brand" },
	{ .cn = "Amazon Root CA 1",
	  .why = "Amazon Trust Services is not an accepted brand" },
};

const size_t root_excluded_len = sizeof(root_excluded) / sizeof(root_excluded[0]);

/*
 * The organisations in the names of each accepted brand's CAs, and the
 * hosts that serve their certificates (caIssuers).  Starfield's
 * organisation is not listed: Amazon's Starfield Services root bears it
 * too.
 */
static const struct {
	enum brand brand;
	const char *org;	/* a part of O=, compared without case */
	const char *host;	/* the caIssuers host or a domain above it */
} brand_hints[] = {
	{ BRAND_DIGICERT, "DigiCert", "digicert.com" },
	{ BRAND_GODADDY, "GoDaddy", "godaddy.com" },
	{ BRAND_GODADDY, NULL, "starfieldtech.com" },
	{ BRAND_LETSENCRYPT, "Let's Encrypt", "lencr.org" },
	{ BRAND_LETSENCRYPT, NULL, "letsencrypt.org" },
	{ BRAND_IDENTRUST, "IdenTrust", "identrust.com" },
	{ BRAND_COMODO, "COMODO", "comodoca.com" },
	{ BRAND_COMODO, "Sectigo", "sectigo.com" },
	{ BRAND_COMODO, "USERTrust", "usertrust.com" },
	{ BRAND_GLOBALSIGN, "GlobalSign", "globalsign.com" },
};

/* Does s contain part, compared without case? */
static bool
has_nocase(const char *s, const char *part)
{
	size_t n = strlen(part);

	for (; *s != '\0'; s++)
		if (strncasecmp(s, part, n) == 0)
			return true;
	return false;
}

/* Is the host of url ("scheme://host[:port]/...") domain or under it? */
static bool
url_host_under(const char *url, const char *domain)
{
	const char *h = strstr(url, "://"), *end;
	size_t hlen, dlen = strlen(domain);

	if (h == NULL)
		return false;
	h += 3;
	for (end = h; *end != '\0' && *end != '/' && *end != ':' &&
	    *end != '?' && *end != '#'; end++)
		;
	hlen = (size_t)(end - h);
	if (hlen < dlen || strncasecmp(end - dlen, domain, dlen) != 0)
		return false;
	return hlen == dlen || end[-(ptrdiff_t)dlen - 1] == '.';
}

int
brand_hint(const char *org, const char *url)
{
	size_t i;

	for (i = 0; i < sizeof(brand_hints) / sizeof(brand_hints[0]); i++)
		if (org != NULL && brand_hints[i].org != NULL &&
		    has_nocase(org, brand_hints[i].org))
			return (int)brand_hints[i].brand;
	for (i = 0; i < sizeof(brand_hints) / sizeof(brand_hints[0]); i++)
		if (url != NULL && url_host_under(url, brand_hints[i].host))
			return (int)brand_hints[i].brand;
	return -1;
}

static const char *
excluded_cn(size_t i)
{
	return root_excluded[i].cn;
}

static const char *
root_name(size_t i)
{
	return root_table[i].name;
}

/*
 * The lowest i < n whose value key(i) the RFC 2253 name holds whole as a
 * CN= or OU= attribute, or n.  Attributes are separated by a comma or a
 * '+' (a multi-valued RDN) that no backslash escapes; the table's values
 * hold none of the characters RFC 2253 escapes, so an escaped value
 * never equals one.  One pass over the name, which comes from a
 * certificate and may be long; the table is small and constant.
 */
static size_t
name_find(const char *name, const char *(*key)(size_t), size_t n)
{
	const char *p = name, *v, *end, *k;
	size_t best = n, i, len;

	for (;;) {
		for (end = p; *end != '\0' && *end != ',' && *end != '+'; end++)
			if (end[0] == '\\' && end[1] != '\0')
				end++;
		if ((p[0] == 'C' && p[1] == 'N' && p[2] == '=') ||
		    (p[0] == 'O' && p[1] == 'U' && p[2] == '=')) {
			v = p + 3;
			len = (size_t)(end - v);
			for (i = 0; i < best; i++) {
				k = key(i);
				if (k[0] == v[0] && strncmp(k, v, len) == 0 &&
				    k[len] == '\0')
					best = i;
			}
		}
		if (*end == '\0')
			return best;
		p = end + 1;
	}
}

const char *
root_excluded_why(const char *name)
{
	size_t i = name_find(name, excluded_cn, root_excluded_len);

	return i < root_excluded_len ? root_excluded[i].why : NULL;
}

const struct root_info *
root_info_by_name(const char *name)
{
	size_t i = name_find(name, root_name, root_table_len);

	return i < root_table_len ? &root_table[i] : NULL;
}

/* The row of root_table pinning this SPKI hash, or NULL.  Static data. */
const struct root_info *
root_info_by_spki(const unsigned char spki[32])
{
	char hex[65];
	size_t i;

	hex_encode(spki, 32, hex);
	for (i = 0; i < root_table_len; i++)
		if (strcmp(root_table[i].spki_sha256, hex) == 0)
			return &root_table[i];
	return NULL;
}

/*
 * The day the root leaves (left) Mozilla's store for TLS, as the time_t
 * of that day's UTC midnight.  Returns -1 when info or its date is NULL,
 * or the date is not a valid "YYYY-MM-DD".
 */
time_t
root_removal_time(const struct root_info *info)
{
	char stamp[32];
	time_t t;

	if (info == NULL || info->mozilla_removal == NULL ||
	    strlen(info->mozilla_removal) != 10)
		return -1;
	snprintf(stamp, sizeof(stamp), "%sT00:00:00Z", info->mozilla_removal);
	if (time_parse(stamp, &t) == -1 || t < 0)
		return -1;
	return t;
}
