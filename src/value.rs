//! Cell values: exact decimals (never binary floats) and how each kind of
//! cell is read from what the author wrote and printed back.

use std::cmp::Ordering;
use std::fmt;

use crate::format::{Kind, MoneyUnit};

/// An exact decimal number: `mantissa × 10^-scale`.
#[derive(Debug, Clone, Copy)]
pub struct Decimal {
    mantissa: i128,
    scale: u32,
}

const MAX_SCALE: u32 = 12;

impl Decimal {
    pub const ZERO: Decimal = Decimal { mantissa: 0, scale: 0 };

    pub fn from_int(v: i64) -> Self {
        Decimal { mantissa: v.into(), scale: 0 }
    }

    /// Parse `-12`, `+3`, `0.125`, `1,234.5`. No exponents, no NaN.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        let (neg, t) = match t.as_bytes().first()? {
            b'-' => (true, &t[1..]),
            b'+' => (false, &t[1..]),
            _ => (false, t),
        };
        // Commas only as thousands separators: 1,234,567.
        if t.contains(',') {
            let int = t.split('.').next().unwrap_or_default();
            let groups: Vec<&str> = int.split(',').collect();
            let ok = !groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3);
            if !ok {
                return None;
            }
        }
        let t = t.replace(',', "");
        let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
        if int.is_empty() && frac.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || frac.len() as u32 > MAX_SCALE
            || int.len() > 24
        {
            return None;
        }
        let digits = format!("{int}{frac}");
        let m: i128 = if digits.is_empty() { 0 } else { digits.parse().ok()? };
        Some(Decimal { mantissa: if neg { -m } else { m }, scale: frac.len() as u32 })
    }

    fn rescale(self, scale: u32) -> i128 {
        self.mantissa * 10i128.pow(scale - self.scale)
    }

    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        let s = self.scale.max(other.scale);
        Some(Decimal { mantissa: self.rescale(s).checked_add(other.rescale(s))?, scale: s })
    }

    pub fn negated(self) -> Decimal {
        Decimal { mantissa: -self.mantissa, scale: self.scale }
    }

    /// Multiply by 10^k (k may be negative: divide exactly).
    pub fn shift(self, k: i32) -> Option<Decimal> {
        if k >= 0 {
            Some(Decimal { mantissa: self.mantissa.checked_mul(10i128.checked_pow(k as u32)?)?, scale: self.scale })
        } else {
            let scale = self.scale + (-k) as u32;
            (scale <= MAX_SCALE + 4).then_some(Decimal { mantissa: self.mantissa, scale })
        }
    }

    pub fn is_negative(self) -> bool {
        self.mantissa < 0
    }

    pub fn is_zero(self) -> bool {
        self.mantissa == 0
    }

    /// The integer value, if the number has no fractional part.
    pub fn to_i64(self) -> Option<i64> {
        let p = 10i128.pow(self.scale);
        (self.mantissa % p == 0).then(|| i64::try_from(self.mantissa / p).ok()).flatten()
    }

    /// Drop trailing zeros after the point: 1.2500 → 1.25, 3.0 → 3.
    pub fn normalized(self) -> Decimal {
        let mut d = self;
        while d.scale > 0 && d.mantissa % 10 == 0 {
            d.mantissa /= 10;
            d.scale -= 1;
        }
        d
    }

    pub fn sum<'a>(items: impl IntoIterator<Item = &'a Decimal>) -> Option<Decimal> {
        items.into_iter().try_fold(Decimal::ZERO, |acc, x| acc.checked_add(*x))
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Decimal {}
impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        let s = self.scale.max(other.scale);
        self.rescale(s).cmp(&other.rescale(s))
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let neg = self.mantissa < 0;
        let digits = self.mantissa.unsigned_abs().to_string();
        let s = self.scale as usize;
        let body = if s == 0 {
            digits
        } else if digits.len() > s {
            format!("{}.{}", &digits[..digits.len() - s], &digits[digits.len() - s..])
        } else {
            format!("0.{}{}", "0".repeat(s - digits.len()), digits)
        };
        write!(f, "{}{}", if neg { "-" } else { "" }, body)
    }
}

/// A cell's value: the number used in arithmetic and the unit it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellValue {
    pub number: Decimal,
    /// The unit written in the cell (money whose unit is not fixed by the header).
    pub unit: Option<String>,
}

impl CellValue {
    pub fn count(n: Decimal) -> Self {
        CellValue { number: n, unit: None }
    }

    /// The text printed in the table.
    pub fn display(&self, kind: &Kind) -> String {
        match kind {
            Kind::Signed if self.number > Decimal::ZERO => format!("+{}", self.number),
            Kind::Money(_) => format!("{}{}", self.number, self.unit.as_deref().unwrap_or("")),
            _ => self.number.to_string(),
        }
    }
}

/// Why a written value does not fit its cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    NotANumber,
    Negative,
    NotInteger,
    /// Money whose unit must be written in the cell has none (or an unknown one).
    MissingUnit(Vec<String>),
}

/// Normalise full-width digits, signs and points, and strip spaces.
fn normalize(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '＋' => '+',
            '－' | '−' => '-',
            '．' => '.',
            _ => c,
        })
        .collect()
}

/// Read a value written for a cell of `kind`.
pub fn parse_cell(text: &str, kind: &Kind) -> Result<CellValue, ValueError> {
    let t = normalize(text);
    match kind {
        Kind::Count | Kind::Signed => {
            let t = t.strip_suffix('件').or_else(|| t.strip_suffix('项')).unwrap_or(&t);
            let n = Decimal::parse(t).ok_or(ValueError::NotANumber)?;
            if n.to_i64().is_none() {
                return Err(ValueError::NotInteger);
            }
            if *kind == Kind::Count && n.is_negative() {
                return Err(ValueError::Negative);
            }
            Ok(CellValue::count(n.normalized()))
        }
        Kind::Money(unit) => {
            let (amount, written_unit) = split_unit(&t);
            let n = Decimal::parse(amount).ok_or(ValueError::NotANumber)?;
            if n.is_negative() {
                return Err(ValueError::Negative);
            }
            match unit {
                MoneyUnit::Fixed(u) => {
                    let n = match written_unit {
                        None => n,
                        Some(w) if w == u => n,
                        Some(w) => n.shift(unit_exponent(w) - unit_exponent(u)).ok_or(ValueError::NotANumber)?,
                    };
                    Ok(CellValue { number: n, unit: None })
                }
                MoneyUnit::InCell(units) => match written_unit {
                    Some(w) if units.iter().any(|u| u == w) => Ok(CellValue { number: n, unit: Some(w.to_string()) }),
                    _ => Err(ValueError::MissingUnit(units.clone())),
                },
            }
        }
    }
}

fn split_unit(t: &str) -> (&str, Option<&str>) {
    for u in crate::format::money_units() {
        if let Some(a) = t.strip_suffix(u.unit.as_str()) {
            return (a, Some(&t[a.len()..]));
        }
    }
    (t, None)
}

use crate::format::unit_exponent;

/// A civil date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parse `YYYY-MM-DD` (also `YYYY/MM/DD` and `YYYY年M月D日`).
    pub fn parse(text: &str) -> Option<Date> {
        let t = text.trim().replace(['年', '月', '/', '.'], "-").replace('日', "");
        let mut it = t.split('-');
        let (y, m, d) = (it.next()?, it.next()?, it.next()?);
        if it.next().is_some() {
            return None;
        }
        let date = Date { year: y.parse().ok()?, month: m.parse().ok()?, day: d.parse().ok()? };
        (date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= date.days_in_month()).then_some(date)
    }

    fn days_in_month(&self) -> u32 {
        match self.month {
            2 if (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0 => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// The date `days` after 1970-01-01 (Howard Hinnant's civil_from_days).
    pub fn from_unix_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        Date { year: (yoe + era * 400 + i64::from(month <= 2)) as i32, month, day }
    }

    /// 2022年1月28日
    pub fn chinese(&self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact() {
        let a = Decimal::parse("0.1").unwrap();
        let b = Decimal::parse("0.2").unwrap();
        assert_eq!(a.checked_add(b).unwrap(), Decimal::parse("0.3").unwrap());
        assert_eq!(Decimal::parse("1.2500").unwrap().normalized().to_string(), "1.25");
        assert_eq!(Decimal::parse("-167").unwrap().to_string(), "-167");
        assert_eq!(Decimal::parse("0.05").unwrap().to_string(), "0.05");
        assert!(Decimal::parse("1e5").is_none());
        assert!(Decimal::parse("").is_none());
        assert!(Decimal::parse(".").is_none());
        assert_eq!(Decimal::parse("1,234,567").unwrap().to_string(), "1234567");
        assert!(Decimal::parse("1,2").is_none());
        assert!(Decimal::parse("12,5").is_none());
    }

    #[test]
    fn cells_parse_by_kind() {
        assert_eq!(parse_cell(" 2", &Kind::Count).unwrap().number, Decimal::from_int(2));
        assert_eq!(parse_cell("３５", &Kind::Count).unwrap().number, Decimal::from_int(35));
        assert!(parse_cell("12，5", &Kind::Count).is_err());
        assert_eq!(parse_cell("-1", &Kind::Count), Err(ValueError::Negative));
        assert_eq!(parse_cell("1.5", &Kind::Count), Err(ValueError::NotInteger));
        assert_eq!(parse_cell("+3", &Kind::Signed).unwrap().display(&Kind::Signed), "+3");
        assert_eq!(parse_cell("-167", &Kind::Signed).unwrap().display(&Kind::Signed), "-167");
        let wan = Kind::Money(MoneyUnit::Fixed("万元".into()));
        assert_eq!(parse_cell("12500元", &wan).unwrap().number, Decimal::parse("1.25").unwrap());
        let in_cell = Kind::Money(MoneyUnit::InCell(vec!["万元".into(), "元".into()]));
        assert_eq!(parse_cell("16800万元", &in_cell).unwrap().display(&in_cell), "16800万元");
        assert!(matches!(parse_cell("16800", &in_cell), Err(ValueError::MissingUnit(_))));
    }
}
