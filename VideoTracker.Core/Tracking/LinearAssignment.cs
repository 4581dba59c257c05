namespace VideoTracker.Core.Tracking;

/// <summary>
/// Optimal linear assignment on a dense rectangular cost matrix: the shortest-augmenting-path method of
/// Jonker and Volgenant, in the form Crouse (2016) gives for rectangular problems. Rows are assigned one
/// at a time along the cheapest alternating path, with dual variables keeping reduced costs non-negative,
/// so each augmentation costs O(rows × columns).
/// </summary>
public static class LinearAssignment
{
    /// <summary>
    /// The least-cost assignment of rows to columns that assigns as many rows as it can (all of them when
    /// rows ≤ columns, else every column). Returns, for each row, its column or -1.
    /// </summary>
    public static int[] Solve(double[,] cost)
    {
        var result = Unassigned(cost, out var rows, out var cols);
        if (rows == 0 || cols == 0)
        {
            return result;
        }

        var transposed = rows > cols;
        var n = transposed ? cols : rows;
        var m = transposed ? rows : cols;
        var c = new double[n * m];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < m; j++)
            {
                c[(i * m) + j] = transposed ? cost[j, i] : cost[i, j];
            }
        }

        var colForRow = SolveWide(c, n, m);
        for (var i = 0; i < n; i++)
        {
            if (transposed)
            {
                result[colForRow[i]] = i;
            }
            else
            {
                result[i] = colForRow[i];
            }
        }

        return result;
    }

    /// <summary>
    /// The assignment that minimises the total cost when leaving a row and a column unmatched together
    /// costs <paramref name="limit"/>: only pairs cheaper than the limit are ever matched. This is what
    /// <c>lapjv(cost, extend_cost=True, cost_limit=limit)</c> computes by padding the matrix. Returns, for
    /// each row, its column or -1.
    /// </summary>
    public static int[] SolveWithLimit(double[,] cost, double limit)
    {
        var result = Unassigned(cost, out var rows, out var cols);
        if (rows == 0 || cols == 0)
        {
            return result;
        }

        // Matching a pair saves limit − cost over leaving both out, so the problem is a full assignment on
        // min(cost − limit, 0), where a zero stands for "better left unmatched". Rows and columns with no
        // pair under the limit take no part.
        var liveRows = new List<int>(rows);
        var liveCols = new List<int>(cols);
        var colLive = new bool[cols];
        for (var i = 0; i < rows; i++)
        {
            var any = false;
            for (var j = 0; j < cols; j++)
            {
                if (cost[i, j] < limit)
                {
                    any = true;
                    colLive[j] = true;
                }
            }

            if (any)
            {
                liveRows.Add(i);
            }
        }

        for (var j = 0; j < cols; j++)
        {
            if (colLive[j])
            {
                liveCols.Add(j);
            }
        }

        if (liveRows.Count == 0)
        {
            return result;
        }

        var reduced = new double[liveRows.Count, liveCols.Count];
        for (var a = 0; a < liveRows.Count; a++)
        {
            for (var b = 0; b < liveCols.Count; b++)
            {
                reduced[a, b] = Math.Min(cost[liveRows[a], liveCols[b]] - limit, 0);
            }
        }

        var assigned = Solve(reduced);
        for (var a = 0; a < assigned.Length; a++)
        {
            var b = assigned[a];
            if (b >= 0 && cost[liveRows[a], liveCols[b]] < limit)
            {
                result[liveRows[a]] = liveCols[b];
            }
        }

        return result;
    }

    /// <summary>Assigns every one of <paramref name="n"/> rows to one of <paramref name="m"/> ≥ n columns (row-major costs).</summary>
    private static int[] SolveWide(double[] cost, int n, int m)
    {
        var u = new double[n];
        var v = new double[m];
        var shortest = new double[m];
        var path = new int[m];
        var colForRow = new int[n];
        var rowForCol = new int[m];
        var remaining = new int[m];
        var rowVisited = new bool[n];
        var colVisited = new bool[m];
        Array.Fill(colForRow, -1);
        Array.Fill(rowForCol, -1);

        for (var current = 0; current < n; current++)
        {
            // Dijkstra over reduced costs from the current free row to the nearest free column.
            Array.Fill(shortest, double.PositiveInfinity);
            Array.Clear(rowVisited);
            Array.Clear(colVisited);
            for (var k = 0; k < m; k++)
            {
                remaining[k] = m - k - 1;
            }

            var left = m;
            var minValue = 0.0;
            var sink = -1;
            var i = current;
            while (sink < 0)
            {
                rowVisited[i] = true;
                var best = -1;
                var lowest = double.PositiveInfinity;
                var rowOffset = i * m;
                for (var k = 0; k < left; k++)
                {
                    var j = remaining[k];
                    var r = minValue + cost[rowOffset + j] - u[i] - v[j];
                    if (r < shortest[j])
                    {
                        path[j] = i;
                        shortest[j] = r;
                    }

                    if (shortest[j] < lowest || (shortest[j] == lowest && rowForCol[j] < 0))
                    {
                        lowest = shortest[j];
                        best = k;
                    }
                }

                if (best < 0 || double.IsPositiveInfinity(lowest))
                {
                    throw new ArgumentException("The cost matrix has no finite assignment.", nameof(cost));
                }

                minValue = lowest;
                var col = remaining[best];
                colVisited[col] = true;
                remaining[best] = remaining[--left];
                if (rowForCol[col] < 0)
                {
                    sink = col;
                }
                else
                {
                    i = rowForCol[col];
                }
            }

            // Update the duals so reduced costs stay non-negative, then flip the path.
            u[current] += minValue;
            for (var r = 0; r < n; r++)
            {
                if (rowVisited[r] && r != current)
                {
                    u[r] += minValue - shortest[colForRow[r]];
                }
            }

            for (var j = 0; j < m; j++)
            {
                if (colVisited[j])
                {
                    v[j] -= minValue - shortest[j];
                }
            }

            var c = sink;
            while (true)
            {
                var r = path[c];
                rowForCol[c] = r;
                (colForRow[r], c) = (c, colForRow[r]);
                if (r == current)
                {
                    break;
                }
            }
        }

        return colForRow;
    }

    /// <summary>Checks the matrix and gives its size, with every row still unassigned (-1).</summary>
    private static int[] Unassigned(double[,] cost, out int rows, out int cols)
    {
        ArgumentNullException.ThrowIfNull(cost);
        rows = cost.GetLength(0);
        cols = cost.GetLength(1);
        var result = new int[rows];
        Array.Fill(result, -1);
        return result;
    }
}
