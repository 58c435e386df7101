//! Placing the numbers of a ragged row (cells lost in extraction) with the
//! row's sum rules: every way of putting the lost cells back is tried,
//! each lost cell that a sum determines is computed, and the placements
//! that break a sum or need a negative count are dropped. A cell is known
//! when every remaining placement agrees on it.

use crate::value::Decimal;

/// A sum inside one row: `cells[total] = Σ cells[parts]` (indices into the row).
#[derive(Debug, Clone)]
pub struct RowSum {
    pub total: usize,
    pub parts: Vec<usize>,
}

/// At most this many cells may be missing from a row for placement to be tried.
const MAX_LOST: usize = 2;

/// Every consistent completion of a row of `width` cells of which only
/// `numbers` (in order) survived. Entries are None where a placement leaves
/// a lost cell undetermined. Empty when no placement fits.
pub fn placements(numbers: &[Decimal], width: usize, sums: &[RowSum]) -> Vec<Vec<Option<Decimal>>> {
    if numbers.len() >= width || width - numbers.len() > MAX_LOST {
        return Vec::new();
    }
    let lost = width - numbers.len();
    let mut out: Vec<Vec<Option<Decimal>>> = Vec::new();
    for missing in combinations(width, lost) {
        let mut row: Vec<Option<Decimal>> = Vec::with_capacity(width);
        let mut it = numbers.iter();
        for i in 0..width {
            row.push(if missing.contains(&i) { None } else { it.next().copied() });
        }
        if let Some(done) = solve(row, sums)
            && !out.contains(&done)
        {
            out.push(done);
        }
    }
    out
}

/// Fill what the sums determine; None if a sum fails or a value is negative.
fn solve(mut row: Vec<Option<Decimal>>, sums: &[RowSum]) -> Option<Vec<Option<Decimal>>> {
    loop {
        let mut progress = false;
        for s in sums {
            let cells: Vec<usize> = std::iter::once(s.total).chain(s.parts.iter().copied()).collect();
            let unknown: Vec<usize> = cells.iter().copied().filter(|&c| row[c].is_none()).collect();
            if unknown.len() != 1 {
                continue;
            }
            let u = unknown[0];
            let parts: Vec<Decimal> = s.parts.iter().filter(|&&p| p != u).filter_map(|&p| row[p]).collect();
            let sum = Decimal::sum(&parts)?;
            let value = if u == s.total { sum } else { row[s.total]?.checked_add(sum.negated())? };
            if value.is_negative() {
                return None;
            }
            row[u] = Some(value);
            progress = true;
        }
        if !progress {
            break;
        }
    }
    for s in sums {
        let parts: Option<Vec<Decimal>> = s.parts.iter().map(|&p| row[p]).collect();
        if let (Some(total), Some(parts)) = (row[s.total], parts)
            && Decimal::sum(&parts)? != total
        {
            return None;
        }
    }
    Some(row)
}

/// The cells every placement agrees on.
pub fn agreed(placements: &[Vec<Option<Decimal>>], width: usize) -> Vec<Option<Decimal>> {
    (0..width)
        .map(|i| {
            let first = placements.first()?[i]?;
            placements.iter().all(|p| p[i] == Some(first)).then_some(first)
        })
        .collect()
}

/// All k-element subsets of 0..n, in lexicographic order.
fn combinations(n: usize, k: usize) -> Vec<Vec<usize>> {
    fn go(start: usize, n: usize, k: usize, cur: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if cur.len() == k {
            out.push(cur.clone());
            return;
        }
        for i in start..n {
            cur.push(i);
            go(i + 1, n, k, cur, out);
            cur.pop();
        }
    }
    let mut out = Vec::new();
    go(0, n, k, &mut Vec::new(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(v: &[i64]) -> Vec<Decimal> {
        v.iter().map(|&x| Decimal::from_int(x)).collect()
    }

    fn seven() -> Vec<RowSum> {
        vec![RowSum { total: 6, parts: (0..6).collect() }]
    }

    #[test]
    fn all_zero_row_with_a_lost_cell_is_all_zero() {
        let p = placements(&d(&[0, 0, 0, 0, 0, 0]), 7, &seven());
        assert_eq!(p.len(), 1);
        assert_eq!(agreed(&p, 7), d(&[0; 7]).into_iter().map(Some).collect::<Vec<_>>());
    }

    #[test]
    fn ambiguous_rows_keep_only_what_all_placements_share() {
        let p = placements(&d(&[2, 0, 0, 0, 0, 2]), 7, &seven());
        assert!(p.len() > 1);
        let a = agreed(&p, 7);
        assert_eq!(a[3], Some(Decimal::ZERO));
        assert_eq!(a[0], None);
    }

    #[test]
    fn placements_break_no_sum_and_need_no_negative() {
        // 5 + 1 + … = 6: the lost cell cannot be the total (it would be 12).
        let p = placements(&d(&[5, 1, 0, 0, 0, 6]), 7, &seven());
        assert!(p.iter().all(|r| r[6] == Some(Decimal::from_int(6)) || r[6] == Some(Decimal::from_int(12))));
        assert!(placements(&d(&[9, 9, 9, 9, 9, 1]), 7, &seven()).iter().all(|r| r[6] != Some(Decimal::from_int(1))));
        assert!(placements(&d(&[1, 2]), 7, &seven()).is_empty());
    }
}
