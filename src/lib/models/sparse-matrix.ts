/**
 * Compressed sparse rows over shared memory: `indptr[r]..indptr[r+1]` are the entries of row r,
 * `indices` their columns (ascending, unique), `values` their weights. Backed by
 * SharedArrayBuffer so worker threads read the same bytes without a copy.
 */
export interface SparseMatrix {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Math.max(1, length) * 4), 0, length);
}

export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(Math.max(1, length) * 4), 0, length);
}

/**
 * Builds CSR from coordinate triplets; duplicates of one (row, col) add up, so an interaction log
 * can be passed entry by entry. Counting sort by row, then each row sorted by column: O(nnz log d).
 */
export function csrFromTriplets(
  rows: number,
  cols: number,
  rowOf: ArrayLike<number>,
  colOf: ArrayLike<number>,
  valueOf: ArrayLike<number>,
): SparseMatrix {
  const count = rowOf.length;
  if (colOf.length !== count || valueOf.length !== count)
    throw new RangeError('triplets: arrays differ in length');
  const starts = new Int32Array(rows + 1);
  for (let n = 0; n < count; n++) {
    const r = rowOf[n]!;
    const c = colOf[n]!;
    if (!(r >= 0 && r < rows) || !(c >= 0 && c < cols))
      throw new RangeError(`triplets[${n}]: (${r}, ${c}) outside ${rows} x ${cols}`);
    starts[r + 1]!++;
  }
  for (let r = 0; r < rows; r++) starts[r + 1]! += starts[r]!;
  const fill = starts.slice(0, rows);
  const order = new Int32Array(count);
  for (let n = 0; n < count; n++) order[fill[rowOf[n]!]!++] = n;

  // Each row: sort its entries by column and merge duplicates into a scratch list.
  const mergedCols: number[] = [];
  const mergedVals: number[] = [];
  const indptr = sharedInt32(rows + 1);
  const rowEntries: number[] = [];
  for (let r = 0; r < rows; r++) {
    rowEntries.length = 0;
    for (let p = starts[r]!; p < starts[r + 1]!; p++) rowEntries.push(order[p]!);
    rowEntries.sort((a, b) => colOf[a]! - colOf[b]! || a - b);
    let last = -1;
    for (const n of rowEntries) {
      const c = colOf[n]!;
      if (c === last) mergedVals[mergedVals.length - 1]! += valueOf[n]!;
      else {
        mergedCols.push(c);
        mergedVals.push(valueOf[n]!);
        last = c;
      }
    }
    indptr[r + 1] = mergedCols.length;
  }
  const indices = sharedInt32(mergedCols.length);
  const values = sharedFloat32(mergedVals.length);
  indices.set(mergedCols);
  values.set(mergedVals);
  return { rows, cols, indptr, indices, values };
}

/** The same entries by column (places x users for the item half of ALS). */
export function transpose(matrix: SparseMatrix): SparseMatrix {
  const { rows, cols, indptr, indices, values } = matrix;
  const nnz = indptr[rows]!;
  const outPtr = sharedInt32(cols + 1);
  for (let p = 0; p < nnz; p++) outPtr[indices[p]! + 1]!++;
  for (let c = 0; c < cols; c++) outPtr[c + 1]! += outPtr[c]!;
  const fill = outPtr.slice(0, cols);
  const outIdx = sharedInt32(nnz);
  const outVal = sharedFloat32(nnz);
  for (let r = 0; r < rows; r++) {
    for (let p = indptr[r]!; p < indptr[r + 1]!; p++) {
      const at = fill[indices[p]!]!++;
      outIdx[at] = r;
      outVal[at] = values[p]!;
    }
  }
  return { rows: cols, cols: rows, indptr: outPtr, indices: outIdx, values: outVal };
}

export function nonZeros(matrix: SparseMatrix): number {
  return matrix.indptr[matrix.rows]!;
}
