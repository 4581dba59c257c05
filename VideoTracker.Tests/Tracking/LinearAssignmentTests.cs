namespace VideoTracker.Tests.Tracking;

/// <summary>The assignment solver against exhaustive search on small random matrices.</summary>
public sealed class LinearAssignmentTests
{
    [Fact]
    public void SolveWithLimit_RandomSmallMatrices_FindsTheBruteForceOptimum()
    {
        var random = new Random(12345);
        for (var trial = 0; trial < 400; trial++)
        {
            var cost = RandomMatrix(random, random.Next(0, 6), random.Next(0, 6));
            var limit = 0.2 + (random.NextDouble() * 0.8);

            var assignment = LinearAssignment.SolveWithLimit(cost, limit);

            AssertOneToOne(assignment, cost.GetLength(1));
            for (var i = 0; i < assignment.Length; i++)
            {
                Assert.True(assignment[i] < 0 || cost[i, assignment[i]] < limit, $"trial {trial}: a pair over the limit was matched");
            }

            var value = Enumerable.Range(0, assignment.Length).Where(i => assignment[i] >= 0).Sum(i => cost[i, assignment[i]] - limit);
            Assert.Equal(BestPartial(cost, limit), value, 9);
        }
    }

    [Fact]
    public void Solve_RandomRectangularMatrices_AssignsAsManyAsPossibleAtTheBruteForceOptimum()
    {
        var random = new Random(777);
        for (var trial = 0; trial < 400; trial++)
        {
            var rows = random.Next(1, 6);
            var cols = random.Next(1, 6);
            var cost = RandomMatrix(random, rows, cols);

            var assignment = LinearAssignment.Solve(cost);

            AssertOneToOne(assignment, cols);
            Assert.Equal(Math.Min(rows, cols), assignment.Count(c => c >= 0));
            var value = Enumerable.Range(0, rows).Where(i => assignment[i] >= 0).Sum(i => cost[i, assignment[i]]);
            Assert.Equal(BestFull(cost), value, 9);
        }
    }

    [Fact]
    public void SolveWithLimit_AllPairsOverTheLimit_MatchesNothing()
    {
        var cost = new double[,] { { 0.9, 0.95 }, { 0.99, 0.85 } };

        Assert.Equal([-1, -1], LinearAssignment.SolveWithLimit(cost, 0.8));
    }

    [Fact]
    public void SolveWithLimit_GreedyWouldPickTheCheapestPair_PrefersTheBetterTotal()
    {
        // Greedy takes (0,0) at 0.1 and leaves row 1 with nothing under the limit; optimal takes two pairs.
        var cost = new double[,] { { 0.1, 0.3 }, { 0.35, 0.9 } };

        Assert.Equal([1, 0], LinearAssignment.SolveWithLimit(cost, 0.8));
    }

    private static double[,] RandomMatrix(Random random, int rows, int cols)
    {
        var cost = new double[rows, cols];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < cols; j++)
            {
                cost[i, j] = random.Next(4) == 0 ? 1.0 : Math.Round(random.NextDouble(), 3);
            }
        }

        return cost;
    }

    private static void AssertOneToOne(int[] assignment, int cols)
    {
        var used = new HashSet<int>();
        foreach (var c in assignment.Where(c => c >= 0))
        {
            Assert.InRange(c, 0, cols - 1);
            Assert.True(used.Add(c), "a column was assigned twice");
        }
    }

    /// <summary>The least Σ (cost − limit) over all partial matchings.</summary>
    private static double BestPartial(double[,] cost, double limit)
    {
        var best = 0.0;
        Search(cost, 0, new bool[cost.GetLength(1)], 0, (total, _) => best = Math.Min(best, total), (c) => c - limit, allowSkip: true);
        return best;
    }

    /// <summary>The least total over matchings of size min(rows, cols).</summary>
    private static double BestFull(double[,] cost)
    {
        var best = double.PositiveInfinity;
        var size = Math.Min(cost.GetLength(0), cost.GetLength(1));
        Search(cost, 0, new bool[cost.GetLength(1)], 0, (total, matched) =>
        {
            if (matched == size)
            {
                best = Math.Min(best, total);
            }
        }, c => c, allowSkip: true);
        return best;
    }

    private static void Search(double[,] cost, int row, bool[] used, double total, Action<double, int> visit, Func<double, double> weight, bool allowSkip, int matched = 0)
    {
        if (row == cost.GetLength(0))
        {
            visit(total, matched);
            return;
        }

        if (allowSkip)
        {
            Search(cost, row + 1, used, total, visit, weight, allowSkip, matched);
        }

        for (var j = 0; j < used.Length; j++)
        {
            if (!used[j])
            {
                used[j] = true;
                Search(cost, row + 1, used, total + weight(cost[row, j]), visit, weight, allowSkip, matched + 1);
                used[j] = false;
            }
        }
    }
}
