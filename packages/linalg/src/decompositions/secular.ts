import { secularFailureForced } from './secular-failure.js';

/**
 * The secular equation of a symmetric rank-one update, f(λ) = 1/ρ + Σⱼ zⱼ²/(dⱼ − λ) = 0 with
 * d₀ < d₁ < … < d_{n−1} and ρ > 0: its i-th root lies in (dᵢ, dᵢ₊₁) (the last one in
 * (d_{n−1}, d_{n−1} + ρ‖z‖²)). A port of LAPACK's dlaed4 (Li's rational-interpolation iteration,
 * switching to the three-pole "middle way" of dlaed6 where it converges faster) with dlaed5 for
 * n = 2. Besides the root it returns every difference dⱼ − λᵢ computed from the shifted origin
 * (never as a difference of two rounded numbers), which the eigenvectors and the Gu–Eisenstat
 * recomputation of z need to be accurate.
 */

const EPS = 2 ** -53;
const MAXIT = 30;
/** dlaed6's scaling threshold: 2^⌊log₂(safe minimum)/3⌋. */
const SMALL1 = 2 ** -340;
const SMALL2 = SMALL1 * SMALL1;
/** dlaed6's three weights and its result (module scratch: no allocation per root). */
const ZZ = new Float64Array(3);
const ETA6 = new Float64Array(1);

/**
 * Root `i` (0-based) of the n-term secular equation; writes dⱼ − λ into delta[off + j] (for n = 2,
 * the normalised eigenvector instead, as dlaed5; for n = 1, 1). Returns λ, or NaN when the
 * iteration did not converge in 30 steps.
 */
export function secularRoot(n: number, i: number, d: Float64Array, z: Float64Array, delta: Float64Array, off: number, rho: number): number {
  if (secularFailureForced()) return NaN;
  if (n === 1) {
    delta[off] = 1;
    return d[0]! + rho * z[0]! * z[0]!;
  }
  if (n === 2) return secular2(i, d, z, delta, off, rho);
  const rhoinv = 1 / rho;
  if (i === n - 1) return lastRoot(n, d, z, delta, off, rho, rhoinv);
  return innerRoot(n, i, d, z, delta, off, rhoinv);
}

function lastRoot(n: number, d: Float64Array, z: Float64Array, delta: Float64Array, off: number, rho: number, rhoinv: number): number {
  const I = n - 1;
  const ii = n - 2;
  const midpt = rho / 2;
  const dI = d[I]!;
  for (let j = 0; j < n; j++) delta[off + j] = d[j]! - dI - midpt;
  let psi = 0;
  for (let j = 0; j < n - 2; j++) psi += (z[j]! * z[j]!) / delta[off + j]!;
  let c = rhoinv + psi;
  let w = c + (z[ii]! * z[ii]!) / delta[off + ii]! + (z[I]! * z[I]!) / delta[off + I]!;
  let tau: number;
  let dltlb: number;
  let dltub: number;
  const zn1 = z[n - 2]!;
  const zn = z[n - 1]!;
  if (w <= 0) {
    const temp = (zn1 * zn1) / (d[n - 1]! - d[n - 2]! + rho) + (zn * zn) / rho;
    if (c <= temp) {
      tau = rho;
    } else {
      const del = d[n - 1]! - d[n - 2]!;
      const a = -c * del + zn1 * zn1 + zn * zn;
      const b = zn * zn * del;
      tau = a < 0 ? (2 * b) / (Math.sqrt(a * a + 4 * b * c) - a) : (a + Math.sqrt(a * a + 4 * b * c)) / (2 * c);
    }
    dltlb = midpt;
    dltub = rho;
  } else {
    const del = d[n - 1]! - d[n - 2]!;
    const a = -c * del + zn1 * zn1 + zn * zn;
    const b = zn * zn * del;
    tau = a < 0 ? (2 * b) / (Math.sqrt(a * a + 4 * b * c) - a) : (a + Math.sqrt(a * a + 4 * b * c)) / (2 * c);
    dltlb = 0;
    dltub = midpt;
  }
  for (let j = 0; j < n; j++) delta[off + j] = d[j]! - dI - tau;
  let dpsi = 0;
  psi = 0;
  let erretm = 0;
  for (let j = 0; j <= ii; j++) {
    const t = z[j]! / delta[off + j]!;
    psi += z[j]! * t;
    dpsi += t * t;
    erretm += psi;
  }
  erretm = Math.abs(erretm);
  let t = zn / delta[off + I]!;
  let phi = zn * t;
  let dphi = t * t;
  erretm = 8 * (-phi - psi) + erretm - phi + rhoinv + Math.abs(tau) * (dpsi + dphi);
  w = rhoinv + phi + psi;
  if (Math.abs(w) <= EPS * erretm) return dI + tau;
  if (w <= 0) dltlb = Math.max(dltlb, tau);
  else dltub = Math.min(dltub, tau);
  for (let niter = 2; niter <= MAXIT + 1; niter++) {
    if (niter > 2 && Math.abs(w) <= EPS * erretm) return dI + tau;
    if (niter > 2) {
      if (w <= 0) dltlb = Math.max(dltlb, tau);
      else dltub = Math.min(dltub, tau);
    }
    if (niter === MAXIT + 1) break;
    const dn1 = delta[off + n - 2]!;
    const dn = delta[off + n - 1]!;
    c = w - dn1 * dpsi - dn * dphi;
    const a = (dn1 + dn) * w - dn1 * dn * (dpsi + dphi);
    const b = dn1 * dn * w;
    let eta: number;
    if (niter === 2) {
      if (c < 0) c = Math.abs(c);
      if (c === 0) eta = -w / (dpsi + dphi);
      else if (a >= 0) eta = (a + Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
      else eta = (2 * b) / (a - Math.sqrt(Math.abs(a * a - 4 * b * c)));
    } else if (a >= 0) {
      eta = (a + Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
    } else {
      eta = (2 * b) / (a - Math.sqrt(Math.abs(a * a - 4 * b * c)));
    }
    if (w * eta > 0) eta = -w / (dpsi + dphi);
    let temp = tau + eta;
    if (temp > dltub || temp < dltlb) {
      if (niter === 2) {
        const eta1 = -w / (dpsi + dphi);
        temp = tau + eta1;
        const eta2 = w < 0 ? (dltub - tau) / 2 : (dltlb - tau) / 2;
        eta = dltlb <= temp && temp <= dltub ? (eta1 >= 0 ? 1 : -1) * Math.sqrt(Math.abs(eta1)) * Math.sqrt(Math.abs(eta2)) : eta2;
      } else {
        eta = w < 0 ? (dltub - tau) / 2 : (dltlb - tau) / 2;
      }
    }
    for (let j = 0; j < n; j++) delta[off + j] = delta[off + j]! - eta;
    tau += eta;
    dpsi = 0;
    psi = 0;
    erretm = 0;
    for (let j = 0; j <= ii; j++) {
      const q = z[j]! / delta[off + j]!;
      psi += z[j]! * q;
      dpsi += q * q;
      erretm += psi;
    }
    erretm = Math.abs(erretm);
    t = zn / delta[off + I]!;
    phi = zn * t;
    dphi = t * t;
    erretm = 8 * (-phi - psi) + erretm - phi + rhoinv + Math.abs(tau) * (dpsi + dphi);
    w = rhoinv + phi + psi;
  }
  return NaN;
}

function innerRoot(n: number, i: number, d: Float64Array, z: Float64Array, delta: Float64Array, off: number, rhoinv: number): number {
  const ip1 = i + 1;
  const del = d[ip1]! - d[i]!;
  const midpt = del / 2;
  const di = d[i]!;
  for (let j = 0; j < n; j++) delta[off + j] = d[j]! - di - midpt;
  let psi = 0;
  for (let j = 0; j < i; j++) psi += (z[j]! * z[j]!) / delta[off + j]!;
  let phi = 0;
  for (let j = n - 1; j >= i + 2; j--) phi += (z[j]! * z[j]!) / delta[off + j]!;
  let c = rhoinv + psi + phi;
  let w = c + (z[i]! * z[i]!) / delta[off + i]! + (z[ip1]! * z[ip1]!) / delta[off + ip1]!;
  const zi2 = z[i]! * z[i]!;
  const zip2 = z[ip1]! * z[ip1]!;
  let orgati: boolean;
  let tau: number;
  let dltlb: number;
  let dltub: number;
  if (w > 0) {
    orgati = true;
    const a = c * del + zi2 + zip2;
    const b = zi2 * del;
    tau = a > 0 ? (2 * b) / (a + Math.sqrt(Math.abs(a * a - 4 * b * c))) : (a - Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
    dltlb = 0;
    dltub = midpt;
  } else {
    orgati = false;
    const a = c * del - zi2 - zip2;
    const b = zip2 * del;
    tau = a < 0 ? (2 * b) / (a - Math.sqrt(Math.abs(a * a + 4 * b * c))) : -(a + Math.sqrt(Math.abs(a * a + 4 * b * c))) / (2 * c);
    dltlb = -midpt;
    dltub = 0;
  }
  const origin = orgati ? di : d[ip1]!;
  for (let j = 0; j < n; j++) delta[off + j] = d[j]! - origin - tau;
  const ii = orgati ? i : ip1;
  const iim1 = ii - 1;
  const iip1 = ii + 1;
  let dpsi = 0;
  psi = 0;
  let erretm = 0;
  for (let j = 0; j <= iim1; j++) {
    const t = z[j]! / delta[off + j]!;
    psi += z[j]! * t;
    dpsi += t * t;
    erretm += psi;
  }
  erretm = Math.abs(erretm);
  let dphi = 0;
  phi = 0;
  for (let j = n - 1; j >= iip1; j--) {
    const t = z[j]! / delta[off + j]!;
    phi += z[j]! * t;
    dphi += t * t;
    erretm += phi;
  }
  w = rhoinv + phi + psi;
  let swtch3 = orgati ? w < 0 : w > 0;
  if (ii === 0 || ii === n - 1) swtch3 = false;
  let temp = z[ii]! / delta[off + ii]!;
  let dw = dpsi + dphi + temp * temp;
  temp = z[ii]! * temp;
  w += temp;
  erretm = 8 * (phi - psi) + erretm + 2 * rhoinv + 3 * Math.abs(temp) + Math.abs(tau) * dw;
  if (Math.abs(w) <= EPS * erretm) return origin + tau;
  if (w <= 0) dltlb = Math.max(dltlb, tau);
  else dltub = Math.min(dltub, tau);
  const zz = ZZ;
  const eta6 = ETA6;
  let swtch = false;
  let prew = w;
  for (let niter = 2; niter <= MAXIT; niter++) {
    const first = niter === 2;
    if (!first) {
      if (Math.abs(w) <= EPS * erretm) return origin + tau;
      if (w <= 0) dltlb = Math.max(dltlb, tau);
      else dltub = Math.min(dltub, tau);
    }
    let eta: number;
    const dI = delta[off + i]!;
    const dIp = delta[off + ip1]!;
    if (!swtch3) {
      if (first || !swtch) {
        c = orgati
          ? w - dIp * dw - (d[i]! - d[ip1]!) * (z[i]! / dI) ** 2
          : w - dI * dw - (d[ip1]! - d[i]!) * (z[ip1]! / dIp) ** 2;
      } else {
        const t = z[ii]! / delta[off + ii]!;
        if (orgati) dpsi += t * t;
        else dphi += t * t;
        c = w - dI * dpsi - dIp * dphi;
      }
      let a = (dI + dIp) * w - dI * dIp * dw;
      const b = dI * dIp * w;
      if (c === 0) {
        if (a === 0) {
          if (first || !swtch) a = orgati ? zi2 + dIp * dIp * (dpsi + dphi) : zip2 + dI * dI * (dpsi + dphi);
          else a = dI * dI * dpsi + dIp * dIp * dphi;
        }
        eta = b / a;
      } else if (a <= 0) {
        eta = (a - Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
      } else {
        eta = (2 * b) / (a + Math.sqrt(Math.abs(a * a - 4 * b * c)));
      }
    } else {
      temp = rhoinv + psi + phi;
      const dm = delta[off + iim1]!;
      const dp = delta[off + iip1]!;
      if (!first && swtch) {
        c = temp - dm * dpsi - dp * dphi;
        zz[0] = dm * dm * dpsi;
        zz[2] = dp * dp * dphi;
      } else if (orgati) {
        let t1 = z[iim1]! / dm;
        t1 *= t1;
        c = temp - dp * (dpsi + dphi) - (d[iim1]! - d[iip1]!) * t1;
        zz[0] = z[iim1]! * z[iim1]!;
        zz[2] = dp * dp * (dpsi - t1 + dphi);
      } else {
        let t1 = z[iip1]! / dp;
        t1 *= t1;
        c = temp - dm * (dpsi + dphi) - (d[iip1]! - d[iim1]!) * t1;
        zz[0] = dm * dm * (dpsi + (dphi - t1));
        zz[2] = z[iip1]! * z[iip1]!;
      }
      zz[1] = z[ii]! * z[ii]!;
      if (!middleWay(niter, orgati, c, delta, off + iim1, zz, w, eta6)) return NaN;
      eta = eta6[0]!;
    }
    if (w * eta >= 0) eta = -w / dw;
    temp = tau + eta;
    if (temp > dltub || temp < dltlb) {
      if (first) {
        eta = w < 0 ? (dltub - tau) / 2 : (dltlb - tau) / 2;
      } else {
        const eta1 = -w / dw;
        temp = tau + eta1;
        const eta2 = w < 0 ? (dltub - tau) / 2 : (dltlb - tau) / 2;
        eta = dltlb <= temp && temp <= dltub ? (eta1 >= 0 ? 1 : -1) * Math.sqrt(Math.abs(eta1)) * Math.sqrt(Math.abs(eta2)) : eta2;
      }
    }
    prew = w;
    // Every δⱼ moves by η; the two sums update it as they read it (one pass instead of two).
    dpsi = 0;
    psi = 0;
    erretm = 0;
    for (let j = 0; j <= iim1; j++) {
      const dj = delta[off + j]! - eta;
      delta[off + j] = dj;
      const t = z[j]! / dj;
      psi += z[j]! * t;
      dpsi += t * t;
      erretm += psi;
    }
    erretm = Math.abs(erretm);
    dphi = 0;
    phi = 0;
    for (let j = n - 1; j >= iip1; j--) {
      const dj = delta[off + j]! - eta;
      delta[off + j] = dj;
      const t = z[j]! / dj;
      phi += z[j]! * t;
      dphi += t * t;
      erretm += phi;
    }
    delta[off + ii] = delta[off + ii]! - eta;
    temp = z[ii]! / delta[off + ii]!;
    dw = dpsi + dphi + temp * temp;
    temp = z[ii]! * temp;
    w = rhoinv + phi + psi + temp;
    if (first) {
      erretm = 8 * (phi - psi) + erretm + 2 * rhoinv + 3 * Math.abs(temp) + Math.abs(tau + eta) * dw;
      swtch = orgati ? -w > Math.abs(prew) / 10 : w > Math.abs(prew) / 10;
      tau += eta;
    } else {
      tau += eta;
      erretm = 8 * (phi - psi) + erretm + 2 * rhoinv + 3 * Math.abs(temp) + Math.abs(tau) * dw;
      if (w * prew > 0 && Math.abs(w) > Math.abs(prew) / 10) swtch = !swtch;
    }
  }
  if (Math.abs(w) <= EPS * erretm) return origin + tau;
  return NaN;
}

/** dlaed5: the 2×2 case, delta receives the normalised eigenvector. */
function secular2(i: number, d: Float64Array, z: Float64Array, delta: Float64Array, off: number, rho: number): number {
  const del = d[1]! - d[0]!;
  const z1 = z[0]!;
  const z2 = z[1]!;
  let lam: number;
  let a: number;
  let b: number;
  if (i === 0) {
    const w = 1 + (2 * rho * (z2 * z2 - z1 * z1)) / del;
    if (w > 0) {
      const bb = del + rho * (z1 * z1 + z2 * z2);
      const cc = rho * z1 * z1 * del;
      const tau = (2 * cc) / (bb + Math.sqrt(Math.abs(bb * bb - 4 * cc)));
      lam = d[0]! + tau;
      a = -z1 / tau;
      b = z2 / (del - tau);
    } else {
      const bb = -del + rho * (z1 * z1 + z2 * z2);
      const cc = rho * z2 * z2 * del;
      const tau = bb > 0 ? (-2 * cc) / (bb + Math.sqrt(bb * bb + 4 * cc)) : (bb - Math.sqrt(bb * bb + 4 * cc)) / 2;
      lam = d[1]! + tau;
      a = -z1 / (del + tau);
      b = -z2 / tau;
    }
  } else {
    const bb = -del + rho * (z1 * z1 + z2 * z2);
    const cc = rho * z2 * z2 * del;
    const tau = bb > 0 ? (bb + Math.sqrt(bb * bb + 4 * cc)) / 2 : (2 * cc) / (-bb + Math.sqrt(bb * bb + 4 * cc));
    lam = d[1]! + tau;
    a = -z1 / (del + tau);
    b = -z2 / tau;
  }
  const t = Math.sqrt(a * a + b * b);
  delta[off] = a / t;
  delta[off + 1] = b / t;
  return lam;
}

/**
 * dlaed6: one root of the three-pole rational g(t) = ρ + Σₖ zₖ/(dₖ − t) (k = 0, 1, 2, read from
 * d[o], d[o+1], d[o+2]) nearest the origin, between d[o+1] and d[o+2] (`orgati`) or d[o] and
 * d[o+1]; `finit` is g(0). Writes the root to tau[0]; false if 40 iterations did not converge.
 */
export function middleWay(kniter: number, orgati: boolean, rho: number, d: Float64Array, o: number, z: Float64Array, finit: number, out: Float64Array): boolean {
  const d1 = d[o]!;
  const d2 = d[o + 1]!;
  const d3 = d[o + 2]!;
  let lbd = orgati ? d2 : d1;
  let ubd = orgati ? d3 : d2;
  if (finit < 0) lbd = 0;
  else ubd = 0;
  let tau = 0;
  if (kniter === 2) {
    let a: number;
    let b: number;
    let c: number;
    if (orgati) {
      const t = (d3 - d2) / 2;
      c = rho + z[0]! / (d1 - d2 - t);
      a = c * (d2 + d3) + z[1]! + z[2]!;
      b = c * d2 * d3 + z[1]! * d3 + z[2]! * d2;
    } else {
      const t = (d1 - d2) / 2;
      c = rho + z[2]! / (d3 - d2 - t);
      a = c * (d1 + d2) + z[0]! + z[1]!;
      b = c * d1 * d2 + z[0]! * d2 + z[1]! * d1;
    }
    const t = Math.max(Math.abs(a), Math.abs(b), Math.abs(c));
    a /= t;
    b /= t;
    c /= t;
    if (c === 0) tau = b / a;
    else if (a <= 0) tau = (a - Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
    else tau = (2 * b) / (a + Math.sqrt(Math.abs(a * a - 4 * b * c)));
    if (tau < lbd || tau > ubd) tau = (lbd + ubd) / 2;
    if (d1 === tau || d2 === tau || d3 === tau) {
      tau = 0;
    } else {
      const temp = finit + (tau * z[0]!) / (d1 * (d1 - tau)) + (tau * z[1]!) / (d2 * (d2 - tau)) + (tau * z[2]!) / (d3 * (d3 - tau));
      if (temp <= 0) lbd = tau;
      else ubd = tau;
      if (Math.abs(finit) <= Math.abs(temp)) tau = 0;
    }
  }
  const gap = orgati ? Math.min(Math.abs(d2 - tau), Math.abs(d3 - tau)) : Math.min(Math.abs(d1 - tau), Math.abs(d2 - tau));
  let sclfac = 1;
  let sclinv = 1;
  if (gap <= SMALL1) {
    if (gap <= SMALL2) {
      sclfac = 1 / SMALL2;
      sclinv = SMALL2;
    } else {
      sclfac = 1 / SMALL1;
      sclinv = SMALL1;
    }
    tau *= sclfac;
    lbd *= sclfac;
    ubd *= sclfac;
  }
  const ds0 = d1 * sclfac;
  const ds1 = d2 * sclfac;
  const ds2 = d3 * sclfac;
  const zs0 = z[0]! * sclfac;
  const zs1 = z[1]! * sclfac;
  const zs2 = z[2]! * sclfac;
  let fc = 0;
  let df = 0;
  let ddf = 0;
  for (let k = 0; k < 3; k++) {
    const dk = k === 0 ? ds0 : k === 1 ? ds1 : ds2;
    const zk = k === 0 ? zs0 : k === 1 ? zs1 : zs2;
    const t = 1 / (dk - tau);
    const t1 = zk * t;
    const t2 = t1 * t;
    fc += t1 / dk;
    df += t2;
    ddf += t2 * t;
  }
  let f = finit + tau * fc;
  if (Math.abs(f) <= 0) {
    out[0] = tau * sclinv;
    return true;
  }
  if (f <= 0) lbd = tau;
  else ubd = tau;
  for (let niter = 2; niter <= 40; niter++) {
    const t1 = orgati ? ds1 - tau : ds0 - tau;
    const t2 = orgati ? ds2 - tau : ds1 - tau;
    let a = (t1 + t2) * f - t1 * t2 * df;
    let b = t1 * t2 * f;
    let c = f - (t1 + t2) * df + t1 * t2 * ddf;
    const t = Math.max(Math.abs(a), Math.abs(b), Math.abs(c));
    a /= t;
    b /= t;
    c /= t;
    let eta: number;
    if (c === 0) eta = b / a;
    else if (a <= 0) eta = (a - Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
    else eta = (2 * b) / (a + Math.sqrt(Math.abs(a * a - 4 * b * c)));
    if (f * eta >= 0) eta = -f / df;
    tau += eta;
    if (tau < lbd || tau > ubd) tau = (lbd + ubd) / 2;
    fc = 0;
    let erretm = 0;
    df = 0;
    ddf = 0;
    for (let k = 0; k < 3; k++) {
      const dk = k === 0 ? ds0 : k === 1 ? ds1 : ds2;
      const zk = k === 0 ? zs0 : k === 1 ? zs1 : zs2;
      if (dk - tau === 0) {
        out[0] = tau * sclinv;
        return true;
      }
      const q = 1 / (dk - tau);
      const q1 = zk * q;
      const q2 = q1 * q;
      const q4 = q1 / dk;
      fc += q4;
      erretm += Math.abs(q4);
      df += q2;
      ddf += q2 * q;
    }
    f = finit + tau * fc;
    erretm = 8 * (Math.abs(finit) + Math.abs(tau) * erretm) + Math.abs(tau) * df;
    if (Math.abs(f) <= 4 * EPS * erretm || ubd - lbd <= 4 * EPS * Math.abs(tau)) {
      out[0] = tau * sclinv;
      return true;
    }
    if (f <= 0) lbd = tau;
    else ubd = tau;
  }
  out[0] = tau * sclinv;
  return false;
}
